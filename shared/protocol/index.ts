export * from './errors.js';
export * from './events.js';
export * from './limits.js';
export * from './model.js';
export type {
  ActivityDraft,
  ActivityInput,
  Ballot,
  PollAnswer,
  Prioritisation,
  ClientEventName,
  ClientEventPayload,
  CreateWorkshopInput,
  Handshake,
  PolisImportInput,
} from './schemas.js';
