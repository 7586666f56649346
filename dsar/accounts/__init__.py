"""Staff sign-in security: lockout, second factors, session limits, the user's own tokens."""
