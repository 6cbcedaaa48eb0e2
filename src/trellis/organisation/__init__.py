"""The organisation as plain data: a person's fields, reading an HRIS export, and planning its
import row by row. Pure Python: no Django, no database (an import-linter contract checks it).

The web app's people services wrap these: they read the people stored, hand them here as
`ExistingPerson` values, and write the plan that comes back.
"""
