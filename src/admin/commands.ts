import { ServiceError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { PERMISSIONS, type Permission } from '../services/user-service.js';
import type { AddressArea } from '../services/address-service.js';

/** What these routes use of the services. */
type Deps = Pick<
  Services,
  'addresses' | 'adminQueries' | 'authGuard' | 'liveCalls' | 'partners' | 'phones' | 'users'
>;

/**
 * Admin operations, shared by the CLI (direct database access) and the running
 * engine's admin socket (when the embedded database is held by the engine).
 */
export type AdminCommand =
  | { op: 'partner.create'; name: string }
  | { op: 'user.create'; username: string; password: string; email?: string; partner?: string }
  | { op: 'numbers.add'; area: string; numbers: string[] }
  | { op: 'user.set-area'; user: string; area: string }
  | { op: 'user.set-permission'; user: string; permission: string; granted: boolean }
  | { op: 'address.add'; rows: AddressArea[] }
  | { op: 'user.list'; partner?: string; limit?: number; offset?: number }
  | { op: 'numbers.list'; area?: string; state?: NumberState; limit?: number; offset?: number }
  | { op: 'registrations.list'; user?: string }
  | { op: 'calls.list'; user?: string; node?: string }
  | { op: 'calls.hangup'; uuid: string; cause?: number }
  | { op: 'auth.blocked' }
  | { op: 'auth.unblock'; target: string };

export type NumberState = 'free' | 'reserved' | 'active';
export const NUMBER_STATES: readonly NumberState[] = ['free', 'reserved', 'active'];

export async function runAdminCommand(services: Deps, cmd: AdminCommand): Promise<Record<string, unknown>> {
  switch (cmd.op) {
    case 'partner.create':
      return services.partners.create(cmd.name);
    case 'user.create': {
      if (!/^[a-zA-Z0-9]{2,20}$/.test(cmd.username)) {
        throw new ServiceError('wrong-syntax', 'usernames are 2-20 letters or digits');
      }
      if (!/^.{5,50}$/.test(cmd.password))
        throw new ServiceError('wrong-syntax', 'passwords are 5-50 characters');
      if (cmd.email !== undefined && !/^[^@\s]{1,64}@[^@\s]{1,255}$/.test(cmd.email)) {
        throw new ServiceError('wrong-syntax', 'the e-mail address is malformed');
      }
      let partnerId: string | null = null;
      if (cmd.partner !== undefined) {
        const partner = await services.partners.byName(cmd.partner);
        if (!partner) throw new ServiceError('wrong-partner', `partner '${cmd.partner}' does not exist`);
        partnerId = partner.id;
      }
      const user = await services.users.create({
        username: cmd.username,
        password: cmd.password,
        email: cmd.email ?? null,
        partnerId,
      });
      return { uuid: user.uuid };
    }
    case 'numbers.add': {
      // spec 3.9: pools are per area code; numbers are E.164 like every phone number.
      if (!/^[0-9]{1,10}$/.test(cmd.area))
        throw new ServiceError('wrong-syntax', 'area codes are 1-10 digits');
      const bad = cmd.numbers.find((n) => !/^\+[0-9]{3,20}$/.test(n));
      if (bad !== undefined)
        throw new ServiceError('wrong-syntax', `'${bad}' is not a phone number (+ and 3-20 digits)`);
      return services.phones.addToPool(cmd.area, cmd.numbers);
    }
    case 'user.set-area': {
      if (!/^[0-9]{1,10}$/.test(cmd.area))
        throw new ServiceError('wrong-syntax', 'area codes are 1-10 digits');
      const user = await userOf(services, cmd.user);
      await services.phones.setArea(user.uuid, cmd.area);
      return { uuid: user.uuid, area_code: cmd.area };
    }
    case 'user.set-permission': {
      if (!(PERMISSIONS as readonly string[]).includes(cmd.permission)) {
        throw new ServiceError('wrong-syntax', `permissions are ${PERMISSIONS.join(', ')}`);
      }
      const user = await userOf(services, cmd.user);
      const permissions = await services.users.setPermission(
        user.uuid,
        cmd.permission as Permission,
        cmd.granted,
      );
      return { uuid: user.uuid, permissions };
    }
    case 'address.add':
      return { added: await services.addresses.add(cmd.rows) };
    case 'user.list':
      return {
        users: await services.adminQueries.users({
          ...(cmd.partner !== undefined ? { partner: cmd.partner } : {}),
          ...windowOf(cmd),
        }),
      };
    case 'numbers.list': {
      if (cmd.area !== undefined && !/^[0-9]{1,10}$/.test(cmd.area))
        throw new ServiceError('wrong-syntax', 'area codes are 1-10 digits');
      if (cmd.state !== undefined && !NUMBER_STATES.includes(cmd.state))
        throw new ServiceError('wrong-syntax', `state must be one of ${NUMBER_STATES.join(', ')}`);
      return {
        numbers: await services.adminQueries.numbers({
          ...(cmd.area !== undefined ? { area: cmd.area } : {}),
          ...(cmd.state !== undefined ? { state: cmd.state } : {}),
          ...windowOf(cmd),
        }),
      };
    }
    case 'registrations.list':
      return {
        registrations: await services.adminQueries.registrationList(
          cmd.user !== undefined ? { user: cmd.user } : {},
        ),
      };
    case 'calls.list': {
      // Live calls on every telephony node (their summaries in Redis), oldest first.
      const owner = cmd.user !== undefined ? (await userOf(services, cmd.user)).uuid : undefined;
      const calls =
        owner !== undefined
          ? await services.liveCalls.ofOwner(owner)
          : cmd.node !== undefined
            ? await services.liveCalls.ofNode(cmd.node)
            : await services.liveCalls.all();
      return {
        calls: calls
          .filter((c) => cmd.node === undefined || c.node === cmd.node)
          .map((c) => ({
            uuid: c.uuid,
            node: c.node,
            user: c.owner,
            number: c.number,
            incoming: c.incoming,
            from: c.from,
            to: c.to,
            state: c.state,
            created: Math.floor(c.createdAt / 1000),
            answered: c.answeredAt === null ? null : Math.floor(c.answeredAt / 1000),
          })),
      };
    }
    case 'calls.hangup': {
      if (!/^[0-9a-fA-F-]{36}$/.test(cmd.uuid)) throw new ServiceError('wrong-syntax', 'give a call UUID');
      const cause = cmd.cause ?? 16;
      if (!Number.isInteger(cause) || cause < 1 || cause > 127)
        throw new ServiceError('wrong-syntax', 'hang-up causes are Q.850 values 1-127');
      const live = await services.liveCalls.get(cmd.uuid);
      if (!live) throw new ServiceError('wrong-call', `no live call ${cmd.uuid}`);
      const delivered = await services.liveCalls.send(live.node, cmd.uuid, { kind: 'hangup', cause });
      if (!delivered)
        throw new ServiceError('wrong-call', `node ${live.node} of call ${cmd.uuid} does not answer`);
      return { uuid: cmd.uuid, node: live.node, hangup_cause: cause };
    }
    case 'auth.blocked':
      // Issue 14: the SIP password guard's blocks in force, longest first.
      return { blocked: await services.authGuard.listBlocked() };
    case 'auth.unblock': {
      if (!/^[^\s]{1,100}$/.test(cmd.target))
        throw new ServiceError('wrong-syntax', 'give an IP address or a SIP account name');
      return { target: cmd.target, unblocked: await services.authGuard.unblock(cmd.target) };
    }
    default:
      throw new ServiceError('wrong-syntax', 'unknown admin command');
  }
}

/** A user by username, e-mail or UUID, or `wrong-user`. */
async function userOf(services: Deps, login: string): Promise<{ uuid: string }> {
  const user =
    (await services.users.byLogin(login.includes('@') ? { email: login } : { username: login })) ??
    (await byUuid(services, login));
  if (!user) throw new ServiceError('wrong-user', `user '${login}' does not exist`);
  return user;
}

function windowOf(cmd: { limit?: number; offset?: number }): { limit?: number; offset?: number } {
  return {
    ...(cmd.limit !== undefined ? { limit: cmd.limit } : {}),
    ...(cmd.offset !== undefined ? { offset: cmd.offset } : {}),
  };
}

/** A user given by UUID instead of username or e-mail. */
async function byUuid(services: Deps, id: string): Promise<{ uuid: string } | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return services.users.byId(id.toLowerCase());
}
