"""Writes to meetings, agendas, minutes, decisions and actions. Each is typed, keyword-only,
audited and runs in one transaction. Import them from their modules.
"""
