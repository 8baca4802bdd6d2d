"""Where money flows: like farms, coins and gifts, LIVE rooms, VIP subscriptions, brand deals."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.base import MAX_MONEY, Money, Section, Share, check_money, coefficient, parameter, to_milli

#: Largest coin amount (a pack, a gift, a gift size): far above any real catalogue.
MAX_COINS = 10_000_000


class LikeFarm(Section):
    """A like farm: sells likes that its bot accounts deliver (defaults: docs/validation.md section 5)."""

    name: str = parameter("standard", "label", "farm name that buyers refer to", min_length=1)
    price_per_1000: Money = parameter(2.0, "EUR per 1,000 likes", "price of likes", gt=0.0)
    within_24h: float = parameter(
        0.89,
        "share of an order",
        "delivered within 24 hours of purchase (exponential delivery)",
        gt=0.0,
        lt=1.0,
    )
    fill_share: Share = parameter(
        1.0, "share of an order", "share of the likes paid for that is ever delivered"
    )
    bot_quality: Share = parameter(
        0.7, "share of bot accounts", "bot accounts that pass as human (profile, history, fake watch time)"
    )
    accounts: int = parameter(
        20_000, "bot accounts", "bot accounts the farm delivers likes from", ge=1, le=100_000_000
    )
    drop_off_per_day: float = parameter(
        0.0, "hazard per day", "rate at which delivered likes vanish on the farm's side", ge=0.0, le=10
    )


class GiftResponse(Section):
    """Logit of a viewer in a LIVE room sending a gift during one tick."""

    base: float = coefficient(-2.0, "logit", "intercept (a typical gifter, unengaged, quiet room)")
    generosity: float = coefficient(
        1.0, "logit per log unit", "effect of the viewer's generosity (log scale)"
    )
    fandom: float = coefficient(0.6, "logit per log unit", "effect of log(1 + engagement with the creator)")
    vip: float = coefficient(1.0, "logit", "effect of being the creator's VIP subscriber")
    mood: float = coefficient(0.3, "logit per mood unit", "effect of the viewer's mood")
    competition: float = coefficient(
        1.0,
        "logit per log unit",
        "effect of rivalry = log(1 + gifts in the room last tick) x log generosity (if > 1)",
    )
    liveliness: float = coefficient(0.2, "logit per log unit", "effect of log(1 + viewers in the room)")


class Gifts(Section):
    """Coins, gifts and diamonds (defaults: docs/validation.md section 6).

    Viewers buy coins in packs at ``coin_price`` each; a gift of c coins becomes
    c x ``diamonds_per_coin`` diamonds for the creator, each worth ``diamond_value``; the platform
    keeps the rest of what the coins cost. Only a ``gifter_share`` of viewers ever gift, with a
    heavy-tailed generosity (a few whales).
    """

    coin_price: Money = parameter(0.013, "currency/coin", "what a viewer pays for one coin", gt=0.0)
    packs: list[Annotated[int, Field(ge=1, le=MAX_COINS)]] = parameter(
        [70, 350, 1400, 7000], "coins", "coin pack sizes on sale", min_length=1
    )
    diamonds_per_coin: float = parameter(
        0.5, "diamonds/coin", "diamonds a creator gets per coin gifted", gt=0.0, le=MAX_COINS
    )
    diamond_value: float = parameter(
        0.01, "currency/diamond", "cash value of a diamond", gt=0.0, le=MAX_MONEY
    )
    catalogue: list[Annotated[int, Field(ge=1, le=MAX_COINS)]] = parameter(
        [1, 5, 10, 30, 99, 299, 1000, 5000], "coins", "gift prices in coins", min_length=1
    )
    gifter_share: Share = parameter(0.08, "share of viewers", "viewers who ever send gifts")
    generosity_spread: float = parameter(
        2.0, "lognormal sigma", "inequality of generosity among gifters (whales)", ge=0.0, le=5
    )
    gift_size: float = parameter(
        5.0, "coins", "typical coins a median gifter wants to give at once", gt=0.0, le=MAX_COINS
    )
    escalation: float = parameter(
        1.0,
        "per rivalry unit",
        "gift size grows as exp(escalation x rivalry) (see gift.competition)",
        ge=0.0,
        le=10,
    )
    gift: GiftResponse = Field(default_factory=GiftResponse, description="whether to gift this tick")

    @model_validator(mode="after")
    def _exact_money(self) -> Gifts:
        check_money(self.diamonds_per_coin * self.diamond_value, "diamonds_per_coin x diamond_value")
        if self.diamonds_per_coin * self.diamond_value > self.coin_price + 1e-12:
            raise ValueError("gifts: a coin cannot pay the creator more than it costs the viewer")
        return self

    @property
    def payout_per_coin(self) -> int:
        """Milli-units the creator receives per coin gifted."""
        return to_milli(self.diamonds_per_coin * self.diamond_value)


class Live(Section):
    """LIVE rooms: who joins the room of a creator who is LIVE."""

    follower_join: Share = parameter(
        0.25, "chance per tick", "an active follower joins the room of a creator who is LIVE"
    )
    feed_join: Share = parameter(
        0.3, "chance per tick", "an active viewer is shown a LIVE in a niche they like and joins"
    )


class SubscribeResponse(Section):
    """Logit of a fan subscribing to a creator's VIP offer on a given day."""

    base: float = coefficient(-12.0, "logit", "intercept")
    engagement: float = coefficient(
        2.0, "logit per log unit", "effect of log(1 + engagement with the creator)"
    )
    price: float = coefficient(-0.3, "logit per currency unit", "effect of the monthly price")
    generosity: float = coefficient(0.3, "logit per log unit", "effect of the fan's generosity (log scale)")


class Subscriptions(Section):
    """VIP subscriptions: who subscribes, who churns, how revenue is split, what perks do."""

    subscribe: SubscribeResponse = Field(default_factory=SubscribeResponse, description="who subscribes")
    monthly_churn: Share = parameter(0.25, "share per month", "subscribers who do not renew at month end")
    creator_share: Share = parameter(0.5, "share of price", "what the creator keeps of a subscription")
    feed_share: Share = parameter(
        0.2, "share of impressions", "a subscriber's impressions given to their VIP creator's videos"
    )


class RateCard(Section):
    """What a creator charges for one sponsored video (the article's negotiating power).

    price = max(minimum, per_1000_followers x followers / 1000
    x (engagement per view / reference_engagement) ** engagement_exponent), with engagement per
    view as displayed (bought likes included: that is what buying likes is for).
    """

    per_1000_followers: Money = parameter(20.0, "currency per 1,000 followers", "base price of reach", gt=0.0)
    reference_engagement: float = parameter(
        0.06, "engagements/view", "engagement per view that earns the base price", gt=0.0, le=1000
    )
    engagement_exponent: float = parameter(
        1.0, "exponent", "how steeply price rises with engagement per view", ge=0.0, le=10
    )
    minimum: Money = parameter(2.0, "currency", "lowest price of a sponsored video")


class Brands(Section):
    """Brand agents: each has a niche, a target audience, a monthly budget, and may audit."""

    count: int = parameter(0, "brands", "number of brands (0: no brand deals)", ge=0, le=100_000)
    audited_share: Share = parameter(0.5, "share of brands", "brands that run the authenticity audit")
    budget_per_month: Money = parameter(100.0, "currency per 30 days", "each brand's budget", gt=0.0)
    shopping_interval_days: int = parameter(
        7, "days", "how often a brand looks for creators to sign", ge=1, le=3650
    )
    deals_per_round: int = parameter(3, "deals", "most creators a brand signs at once", ge=1, le=10_000)
    min_views_share: float = parameter(
        0.1,
        "views per viewer",
        "creators whose videos have fewer views in all than this times the viewer count are not "
        "considered (relative, so a smaller platform keeps the same pool of candidates)",
        ge=0.0,
        le=1000,
    )
    target_bands: int = parameter(
        2, "age bands", "age bands a brand targets (drawn at random)", ge=1, le=1000
    )
    target_regions: int = parameter(2, "regions", "regions a brand targets (drawn at random)", ge=1, le=1000)
    conversion_rate: Share = parameter(
        0.05, "chance per engagement", "a matching human who engages with a sponsored video converts"
    )
    conversion_value: Money = parameter(10.0, "currency", "what one conversion is worth to the brand")
    last_signing_days: float = parameter(
        7.0,
        "days",
        "brands stop signing this long before the run ends (campaigns need time)",
        ge=0.0,
        le=3650,
    )
    rate_card: RateCard = Field(default_factory=RateCard, description="how creators price a video")
    platform: str | None = parameter(
        None, "platform name", "the platform brands shop on and sponsor videos on (absent: the first)"
    )
