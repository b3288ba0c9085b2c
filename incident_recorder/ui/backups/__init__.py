"""Administration ▸ Backups…, the backups line in the status bar, the warning at sign-in,
the automatic backups and the backups made on lock, sign-out and exit."""
