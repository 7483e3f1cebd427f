"""Stand-in controls (docs/stand-in.md): reset, seed files, snapshots, clock, fault injection and a request journal
for every service, behind one admin surface under ``/_bodata/``. Off unless stand-in or demo mode is on."""
