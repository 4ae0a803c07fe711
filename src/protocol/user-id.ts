/** Base64url characters of a user's public id (`userId`): 96 bits of its keyed hash. */
export const USER_ID_LENGTH = 16;
