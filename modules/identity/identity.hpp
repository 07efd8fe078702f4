#pragma once
// The identity module owns who may act: staff users with their roles and Argon2id password
// hashes (table `users`), API tokens for machine clients, each with one role and stored only
// as a hash (`api_tokens`), login sessions (`sessions`) and failed-login throttling
// (`login_failures`), and the audit log of who did what (`audit_log`).
#include "identity/api_token_repository.hpp"
#include "identity/audit_log.hpp"
#include "identity/login_settings.hpp"
#include "identity/login_throttle.hpp"
#include "identity/migrations.hpp"
#include "identity/password.hpp"
#include "identity/session_repository.hpp"
#include "identity/staff_roles.hpp"
#include "identity/user_repository.hpp"
