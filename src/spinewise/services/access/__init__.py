"""Who may act: accounts, passwords, two-factor sign-in, web sessions, API tokens,
throttling and the acting Actor."""
