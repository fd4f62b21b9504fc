"""The tables the name index covers, by kind, as both backends name them in their SQL.

Written out rather than read from the models: migrations install the index
with this SQL, and must not change with a later model.
"""

TABLES = {
    "organisation": "entities_organisation",
    "person": "entities_person",
    "program": "entities_program",
}
