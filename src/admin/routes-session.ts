/** Sign-in, sign-out and who is signed in (the console's first calls). */
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../server/protocol.js';
import { principalOf } from './auth.js';
import type { AdminContext } from './context.js';

const signInSchema = z.object({
  name: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

/** POST /session (public), and GET/DELETE /session (signed in). */
export function sessionRoutes(ctx: AdminContext): { open: Router; signedIn: Router } {
  const open = Router();
  open.post('/session', async (req, res) => {
    const body = parseBody(signInSchema, req.body);
    const principal = await ctx.auth.signIn(req, res, body.name, body.password);
    res.json({ user: principal.name, role: principal.role, csrfToken: principal.csrfToken });
  });
  const signedIn = Router();
  signedIn.get('/session', async (_req, res) => {
    const p = principalOf(res);
    res.json({ user: p.name, role: p.role, csrfToken: p.csrfToken ?? null });
  });
  signedIn.delete('/session', async (req, res) => {
    await ctx.stores.audit.record({
      actor: principalOf(res).name,
      action: 'session.signout',
      target: principalOf(res).name,
      detail: '',
    });
    await ctx.auth.signOut(req, res);
    res.json({ ok: true });
  });
  return { open, signedIn };
}
