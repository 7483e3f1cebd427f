"""Server-rendered web UIs, the parts every service's UI shares: the Jinja2 environment (with the i18n extension),
the base layout and stylesheet, security headers, redirects, CSRF (session tokens and the login form's
double-submit cookie), cookie flags, and the route class that turns a UI's expected refusals into pages."""
