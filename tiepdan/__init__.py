"""Tiếp Dân: online citizen reception (tiếp công dân trực tuyến) for commune People's Committees."""
