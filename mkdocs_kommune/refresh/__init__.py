"""``mkdocs-kommune refresh``: ask the catalogues how many datasets each municipality has.

One module per concern: ``catalogues`` (the four catalogue clients), ``http`` (client, rate
limits, retries), ``plan`` (which cells to ask about), ``yamledit`` (the round trip that keeps
the file's formatting), ``atomic`` (the all-or-nothing write), ``report`` (diff and summary)
and ``run`` (the command itself).
"""
