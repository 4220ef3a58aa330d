import type { Feature } from './feature.ts';

/**
 * Accounts and access control for the rest-api-auth milestone: registration,
 * OAuth2 password login with short-lived JWT access tokens, rotating refresh
 * tokens kept server-side (hashed) with reuse detection, argon2 passwords,
 * roles, an owned resource (notes), and rate-limited login. Its tables ship as
 * an Alembic branch of their own, so it composes with every other db feature.
 */
export const authFeature: Feature = {
  id: 'auth',
  title: 'JWT authentication, refresh tokens, roles and owned resources',
  requires: ['api', 'db'],
  dependencies: ['pyjwt', 'pwdlib', 'pythonMultipart', 'emailValidator'],
  devDependencies: [],
  templateDirs: () => ['auth'],
  routers: [
    { module: 'auth.router', name: 'router', alias: 'auth_router' },
    { module: 'users.router', name: 'router', alias: 'users_router' },
    { module: 'notes.router', name: 'router', alias: 'notes_router' },
  ],
  models: [
    { module: 'users.models', name: 'User' },
    { module: 'auth.models', name: 'AuthSession' },
    { module: 'auth.models', name: 'RefreshToken' },
    { module: 'notes.models', name: 'Note' },
  ],
  nextSteps: () => [
    {
      stage: 'try',
      command: 'make admin email=you@example.com',
      why: 'once that account is registered (POST /api/v1/auth/register): make it an admin',
    },
  ],
};
