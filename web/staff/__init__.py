"""The bureau's side of the web app, at /staff: accounts, the inbox of missed turns, the
dashboard, publishing a retrained model (docs/staff.md)."""
