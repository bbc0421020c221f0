// The app's client instance: the stored key on every request, sign out when it is rejected.
import { createApiClient } from './api-client.ts';
import { sessionStore } from './session.tsx';

export const api = createApiClient({
  getApiKey: sessionStore.getApiKey,
  onUnauthorized: (message) => sessionStore.signOut(message),
});
