"""Leeropdracht drafts for a role and a situation, with citations and exports."""
