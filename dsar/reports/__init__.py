"""Reports a DPO can take to the board (issue 16): aggregates only, no personal data.

``periods`` turns a choice of range into dates, ``conditions`` holds the filters shared by
the figures and the queue links behind them, ``selectors`` computes the figures with
database aggregates, ``charts`` lays out the server-rendered SVG.
"""
