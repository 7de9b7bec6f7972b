/**
 * Who an effect is about: a positive number is an existing user's id; a negative one is `-row` of an
 * account this import creates (its id exists once the batch is written).
 */
export type UserRef = number;
