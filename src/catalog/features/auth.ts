import type { Feature, FrameworkVariant } from './feature.ts';

/** The routers and models of the SQLAlchemy paths (FastAPI and Flask share module names). */
const SQLALCHEMY_AUTH = {
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
} as const satisfies FrameworkVariant;

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
  requires: ['api', 'db', 'listing'],
  dependencies: ['pyjwt'],
  devDependencies: [],
  templateDirs: () => [],
  frameworks: {
    // Models, migrations, tokens, passwords, rate limits, schemas, repositories and services
    // (`templates/auth/`) are shared by FastAPI and Flask; the routes, what they declare to
    // require a login, and the HTTP tests are each framework's (`templates/auth-http/<framework>/`).
    // FastAPI parses the OAuth2 login form with python-multipart; Flask (Werkzeug) does it itself.
    fastapi: {
      ...SQLALCHEMY_AUTH,
      templateDirs: ['auth', 'auth-http/fastapi'],
      dependencies: ['pwdlib', 'pythonMultipart', 'emailValidator'],
    },
    flask: { ...SQLALCHEMY_AUTH, templateDirs: ['auth', 'auth-http/flask'], dependencies: ['pwdlib', 'emailValidator'] },
    // Django apps: `users` (the custom user model, from the first migration), `auth`
    // (sessions, refresh tokens, the token endpoints), `notes` (the owned resource).
    django: {
      templateDirs: ['django/auth'],
      dependencies: ['argon2Cffi'],
      djangoApps: ['users', 'auth', 'notes'],
      routers: [
        { module: 'auth.urls', name: 'urlpatterns', alias: 'auth_urls' },
        { module: 'users.urls', name: 'urlpatterns', alias: 'users_urls' },
        { module: 'notes.urls', name: 'urlpatterns', alias: 'notes_urls' },
      ],
    },
  },
  migrationBranch: 'auth',
  usesSecretKey: true,
  addRefusal: (options) =>
    options['framework'] === 'django'
      ? "on Django it brings a custom user model (AUTH_USER_MODEL), which Django can only swap before the database's first migration"
      : undefined,
  readingPath: (options) =>
    options['framework'] === 'django'
      ? {
          stops: [
            { file: 'src/{package}/auth/views.py', why: 'the four endpoints: register, token, refresh, logout' },
            { file: 'src/{package}/auth/sessions.py', why: 'login, refresh-token rotation and reuse detection' },
            { file: 'src/{package}/auth/tokens.py', why: 'issuing and verifying JWTs, every claim checked' },
            { file: 'src/{package}/auth/authentication.py', why: 'the DRF authentication class protected views declare' },
            { file: 'src/{package}/users/models.py', why: 'the custom user model: email login, roles, argon2 through Django' },
            { file: 'src/{package}/notes/views.py', why: "querysets scoped to their owner: another user's note is a 404" },
            { file: 'tests/auth/test_refresh_tokens.py', why: 'the attacks the tests try, and what stops each' },
          ],
          skip: [
            { file: 'src/{package}/auth/throttles.py', why: 'the login and registration limits, as DRF throttles' },
            { file: 'src/{package}/users/management/commands/promote.py', why: 'the command that makes the first admin' },
          ],
        }
      : {
    stops: [
      { file: 'src/{package}/auth/router.py', why: 'the four endpoints: register, token, refresh, logout' },
      { file: 'src/{package}/auth/service.py', why: 'login, refresh-token rotation and reuse detection' },
      { file: 'src/{package}/auth/tokens.py', why: 'issuing and verifying JWTs, every claim checked' },
      { file: 'src/{package}/auth/passwords.py', why: 'argon2id, and the dummy hash that hides which emails exist' },
      options['framework'] === 'flask'
        ? { file: 'src/{package}/auth/dependencies.py', why: '`bearer` and `current_user()`, what a protected route declares' }
        : { file: 'src/{package}/auth/dependencies.py', why: '`CurrentUser` and `AdminUser`, what a protected route declares' },
      { file: 'src/{package}/notes/repository.py', why: "queries scoped to their owner: another user's note is a 404" },
      { file: 'tests/auth/test_refresh_tokens.py', why: 'the attacks the tests try, and what stops each' },
    ],
    skip: [
      { file: 'src/{package}/auth/rate_limit.py', why: 'the sliding-window login limits' },
      { file: 'src/{package}/auth/errors.py', why: 'the OpenAPI documentation of the `WWW-Authenticate` and `Retry-After` headers' },
      { file: 'src/{package}/users/promote.py', why: 'the command that makes the first admin' },
    ],
        },
  nextSteps: ({ options }) => [
    {
      stage: 'try',
      command: options['framework'] === 'django' ? 'make promote email=you@example.com' : 'make admin email=you@example.com',
      why: 'once that account is registered (POST /api/v1/auth/register): make it an admin',
    },
  ],
};
