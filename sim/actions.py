"""The one vocabulary of what a viewer can do with an impression.

Counters of the video table, columns of the daily log and of every output table, fan events and
the ranking score's terms are all derived from :data:`ACTIONS`; no module restates the list.
Platforms name some actions differently (Instagram's "send" and X's "retweet" are shares, X's
"reply" is a comment, its "profile click and engage" a follow); docs/platforms.md maps each
platform's words onto these.
"""

from __future__ import annotations

#: What one viewer can do with one impression, in the order the decision is drawn: keep watching
#: past the hook (a *view*), then like, comment, share and follow the creator.
ACTIONS = ("play", "like", "comment", "share", "follow")
#: The counter column (on videos, in daily rows and tables) of each action.
COUNTERS = {"play": "views", "like": "likes", "comment": "comments", "share": "shares", "follow": "follows"}
#: The public engagements: what an engagement rate counts and what brands pay for.
ENGAGEMENTS = ("like", "comment", "share")
#: The binary actions drawn once a video plays (every action but the play itself).
AFTER_PLAY = ACTIONS[1:]
