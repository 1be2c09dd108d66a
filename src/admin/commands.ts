import { ApiError } from '../api/errors.js';
import type { Services } from '../services/index.js';

/**
 * Admin operations, shared by the CLI (direct database access) and the running
 * engine's admin socket (when the embedded database is held by the engine).
 */
export type AdminCommand =
  | { op: 'partner.create'; name: string }
  | { op: 'user.create'; username: string; password: string; email?: string; partner?: string };

export async function runAdminCommand(
  services: Services,
  cmd: AdminCommand,
): Promise<Record<string, unknown>> {
  switch (cmd.op) {
    case 'partner.create':
      return services.partners.create(cmd.name);
    case 'user.create': {
      if (!/^[a-zA-Z0-9]{2,20}$/.test(cmd.username)) {
        throw new ApiError('wrong-syntax', 'usernames are 2-20 letters or digits');
      }
      if (!/^.{5,50}$/.test(cmd.password))
        throw new ApiError('wrong-syntax', 'passwords are 5-50 characters');
      if (cmd.email !== undefined && !/^[^@\s]{1,64}@[^@\s]{1,255}$/.test(cmd.email)) {
        throw new ApiError('wrong-syntax', 'the e-mail address is malformed');
      }
      let partnerId: string | null = null;
      if (cmd.partner !== undefined) {
        const partner = await services.partners.byName(cmd.partner);
        if (!partner) throw new ApiError('wrong-partner', `partner '${cmd.partner}' does not exist`);
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
    default:
      throw new ApiError('wrong-syntax', 'unknown admin command');
  }
}
