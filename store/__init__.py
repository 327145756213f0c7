"""Persistence only: one module per resource, the blob store, documents, quarantine.

Two ways of writing, told apart by what a function takes:

- A function that takes an ``AsyncSession`` (the config modules: ``products``,
  ``flows``, ``mappings``, ``rules``, ``systems``, ``api_keys``, ``organizations``,
  ``audit``; ``outbox.add_events`` and ``transaction_chain.append``) only adds to
  it, flushing at most: the caller commits. A config write is composed by its
  caller (a service, a route, the CLI) with its audit entry, and
  ``transactions.record_outcome`` writes a run's outcome with the events it owes,
  each in one commit: all or nothing.
- A function that takes a ``SessionFactory`` (``transactions``,
  ``transaction_chain.verify``, the rest of ``outbox``, ``Quarantine``) opens its own session
  and, when it writes, commits before it returns. Each write is a unit of work of its
  own, made by the API or a worker around a run, with nothing to share its database
  transaction with (a new transaction is written with its audit chain link).
"""
