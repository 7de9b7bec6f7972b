/** A new account's login, in memory only until it is sealed into the outbox. */
export interface Credential {
  userId: number;
  username: string;
  password: string;
  firstname: string;
  lastname: string;
  email: string;
  lang: string;
}
