/**
 * An approval confirms the register of interests (decision notices do); the helpers send it
 * unless a test says otherwise (`{ interestsConfirmed: undefined }` leaves it out).
 */
export function withConfirmation<B extends object>(action: string, body: B): B | (B & { interestsConfirmed: boolean }) {
  return action === 'approve' ? { interestsConfirmed: true, ...body } : body;
}
