"""Staff commands by mail (DESIGN §4): the subject is the command, the robot answers by mail.

``commands`` reads a subject, ``lookup`` finds the unit and period it names, ``excusals`` is the
one implementation of excusing (shared with `robot excuse`), ``answers`` words each answer, and
``mail`` runs a command from an authenticated staff mail inside the intake's transaction.
"""
