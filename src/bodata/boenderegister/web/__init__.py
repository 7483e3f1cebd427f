"""The Boenderegister web UI (server-rendered pages, see ``views``)."""
