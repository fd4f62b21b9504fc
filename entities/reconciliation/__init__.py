"""Reconciliation: matching other people's names to the knowledge base's records.

The W3C Entity Reconciliation API (version 0.2, as OpenRefine uses it) is
served at ``/api/reconcile/`` (:mod:`entities.api.reconcile`); the search
box's suggestions (``/api/suggest/``) use the same matching. A module per
concern:

* :mod:`~entities.reconciliation.queries`: types, properties, entity ids and
  the parsing of query batches (pure);
* :mod:`~entities.reconciliation.scoring`: match keys, scores 0-100 and the
  rule that makes a candidate a ``match`` (pure);
* :mod:`~entities.reconciliation.service`: answering batches and suggestions
  from the name index (:mod:`entities.name_index`);
* :mod:`~entities.reconciliation.schemas`: the bodies, described for the
  OpenAPI schema.
"""
