export type Role = 'teacher' | 'student' | 'operator';

export interface User {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly hasPassword: boolean;
  readonly districtId: string | null;
  readonly lastSignInAt: Date | null;
}

/** Who is acting, with every grant read fresh for this request (never cached in the session). */
export interface Actor {
  readonly user: User;
  readonly isOperator: boolean;
  readonly licenseAdminOf: readonly { id: string; name: string; districtId: string }[];
  readonly districtAdminOf: readonly { id: string; name: string }[];
}
