"""The ledger: every coin and every milli-unit of money that changes hands, as exact integers.

Identities that hold after every transaction (and that tests check at every tick)::

    coins purchased = coins unspent in wallets + coins gifted
    value of coins gifted = creator gift payouts + platform take on gifts
    VIP revenue = creator VIP payouts + platform take on VIP

Money is in integer milli-units (:data:`sim.scenario.MILLI` per currency unit), so nothing drifts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import top_share
from sim.scenario import MILLI

#: Running totals (coins, counts, or milli-units of money).
ACCOUNTS = (
    "coins_purchased",
    "coin_spend",
    "coins_gifted",
    "gifts_sent",
    "gift_value",
    "gift_payout",
    "gift_platform_take",
    "vip_payments",
    "vip_revenue",
    "vip_payout",
    "vip_platform_take",
)
MONEY_ACCOUNTS = {
    "coin_spend",
    "gift_value",
    "gift_payout",
    "gift_platform_take",
    "vip_revenue",
    "vip_payout",
    "vip_platform_take",
}


class Ledger:
    """Wallets and books of the gift and subscription economy.

    Attributes:
        totals: running total of each account in :data:`ACCOUNTS`.
        wallet: (V,) coins each viewer holds.
        coins_gifted_by: (V,) coins each viewer has gifted.
        gift_payout_to, vip_payout_to: (P, C) milli-units paid to each creator on each platform.
        rows: one dict of daily totals per closed day.
    """

    def __init__(self, n_viewers: int, n_creators: int, n_platforms: int = 1):
        self.totals = dict.fromkeys(ACCOUNTS, 0)
        self.wallet = np.zeros(n_viewers, np.int64)
        self.coins_gifted_by = np.zeros(n_viewers, np.int64)
        self.gift_payout_to = np.zeros((n_platforms, n_creators), np.int64)
        self.vip_payout_to = np.zeros((n_platforms, n_creators), np.int64)
        self.rows: list[dict] = []
        self._before = dict(self.totals)

    def buy_coins(self, viewer: np.ndarray, coins: np.ndarray, coin_price: int) -> None:
        """Viewers buy ``coins`` (whole packs) at ``coin_price`` milli-units each."""
        np.add.at(self.wallet, viewer, coins)
        self.totals["coins_purchased"] += int(coins.sum())
        self.totals["coin_spend"] += int(coins.sum()) * coin_price

    def gift(self, viewer, creator, coins, coin_price: int, payout_per_coin: int, platform: int = 0) -> None:
        """Viewers send gifts worth ``coins`` to creators on ``platform``; diamonds are paid out at once.

        Raises:
            ValueError: a wallet would go negative (gifts must be paid for first).
        """
        np.subtract.at(self.wallet, viewer, coins)
        if (self.wallet[viewer] < 0).any():
            raise ValueError("a gift was sent with coins the viewer did not have")
        np.add.at(self.coins_gifted_by, viewer, coins)
        payout = coins * payout_per_coin
        np.add.at(self.gift_payout_to[platform], creator, payout)
        sent = int(coins.sum())
        self.totals["coins_gifted"] += sent
        self.totals["gifts_sent"] += coins.size
        self.totals["gift_value"] += sent * coin_price
        self.totals["gift_payout"] += int(payout.sum())
        self.totals["gift_platform_take"] += int((coins * (coin_price - payout_per_coin)).sum())

    def subscribe(
        self, creator: np.ndarray, price: np.ndarray, creator_share: float, platform: int = 0
    ) -> None:
        """One month of VIP subscription on ``platform`` paid to each creator at ``price`` milli-units."""
        payout = np.floor(price * creator_share).astype(np.int64)
        np.add.at(self.vip_payout_to[platform], creator, payout)
        self.totals["vip_payments"] += creator.size
        self.totals["vip_revenue"] += int(price.sum())
        self.totals["vip_payout"] += int(payout.sum())
        self.totals["vip_platform_take"] += int((price - payout).sum())

    def close_day(self, vip_subscribers: int) -> None:
        """Write the day's row: what happened today, then balances at midnight."""
        row = {"day": len(self.rows) + 1}
        row |= {name: self.totals[name] - self._before[name] for name in ACCOUNTS}
        row["coins_unspent"] = int(self.wallet.sum())
        row["vip_subscribers"] = vip_subscribers
        self.rows.append(row)
        self._before = dict(self.totals)

    def table(self) -> pd.DataFrame:
        """Daily totals, money in currency units (exact: milli-units / 1000)."""
        table = pd.DataFrame(self.rows, columns=["day", *ACCOUNTS, "coins_unspent", "vip_subscribers"])
        for name in MONEY_ACCOUNTS:
            table[name] = table[name] / MILLI
        return table

    def summary(self, vip_subscribers: int) -> dict:
        """Headline numbers of the gift and subscription economy (money in currency units)."""
        totals = self.totals
        gifting = self.coins_gifted_by[self.coins_gifted_by > 0]
        return {
            "coins_purchased": totals["coins_purchased"],
            "coins_gifted": totals["coins_gifted"],
            "coins_unspent": int(self.wallet.sum()),
            "gifts_sent": totals["gifts_sent"],
            "gifting_viewers": int(gifting.size),
            "coin_spend": totals["coin_spend"] / MILLI,
            "creator_payout": totals["gift_payout"] / MILLI,
            "platform_take": totals["gift_platform_take"] / MILLI,
            # Of everything viewers paid for coins; coins still in wallets have not reached anyone.
            "creator_share_of_spend": (
                totals["gift_payout"] / totals["coin_spend"] if totals["coin_spend"] else None
            ),
            "gift_top20_share": top_share(gifting, 0.2) if gifting.size else None,
            "vip_subscribers": vip_subscribers,
            "vip_payments": totals["vip_payments"],
            "vip_revenue": totals["vip_revenue"] / MILLI,
            "vip_payout": totals["vip_payout"] / MILLI,
            "books_imbalance": self.imbalance(),
        }

    def imbalance(self) -> int:
        """Sum of the absolute errors of the ledger's three identities (coins and milli-units): 0."""
        t = self.totals
        return (
            abs(t["coins_purchased"] - int(self.wallet.sum()) - t["coins_gifted"])
            + abs(t["gift_value"] - t["gift_payout"] - t["gift_platform_take"])
            + abs(t["vip_revenue"] - t["vip_payout"] - t["vip_platform_take"])
        )

    def gifters(self, generosity: np.ndarray) -> pd.DataFrame:
        """One row per viewer who has gifted: coins gifted, coins left, generosity."""
        viewer = np.flatnonzero(self.coins_gifted_by)
        return pd.DataFrame(
            {
                "viewer": viewer,
                "coins_gifted": self.coins_gifted_by[viewer],
                "coins_unspent": self.wallet[viewer],
                "generosity": generosity[viewer],
            }
        )
