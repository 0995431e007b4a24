/** The SEAL_KEY of every test server on PostgreSQL or Redis (a real one comes from `openssl rand -base64 32`). */
export const TEST_SEAL_KEY = 'test-seal-key-not-a-secret-0123456789abcdef';
