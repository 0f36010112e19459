import type { Actor, User } from '../domain/accounts/accounts.types.ts';

/** The user as the browser sees it, with abilities so the UI never re-derives them. */
export function presentUser(user: User, actor?: Actor) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    emailVerified: user.emailVerified,
    abilities: {
      operator: user.role === 'operator',
      licenseAdminOf: (actor?.licenseAdminOf ?? []).map(({ id, name }) => ({ id, name })),
      districtAdminOf: actor?.districtAdminOf ?? [],
    },
  };
}
