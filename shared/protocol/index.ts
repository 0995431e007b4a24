export * from './errors.js';
export * from './events.js';
export * from './limits.js';
export * from './model.js';
export type { ActivityInput, ClientEventName, ClientEventPayload, CreateWorkshopInput, Handshake } from './schemas.js';
