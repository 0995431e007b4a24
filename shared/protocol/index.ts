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
} from './schemas.js';
