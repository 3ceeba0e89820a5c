"""Memoranda between government bodies and subsoil users, one adapter module per site layout."""
