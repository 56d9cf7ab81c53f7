"""Meal-period rules per jurisdiction, as data.

The FLSA requires no meal break at all (it only says a bona fide meal of usually 30 minutes or
more is unpaid, 29 CFR 785.19); states decide. A rule set lists the meals a work period owes,
each as: owed once the period has more than so many minutes of work, to start no later (and,
in some states, no earlier) than so many minutes of work, counted from the start of the period
or from the previous meal. Adding a state is adding an entry to RULE_SETS.

"Minutes of work" are hours worked in the FLSA sense: time on task plus paid rest breaks; meal
periods and unpaid time add none. Read from each state's text (not legal advice):
- california: Labor Code 512(a) and IWC orders 11: a 30-minute meal for a work period of more
  than 5 hours, starting no later than the end of the 5th hour; a second for more than 10 hours,
  starting no later than the end of the 10th. The first may be waived by mutual consent when the
  period is no more than 6 hours; the second when it is no more than 12 hours and the first was
  not waived.
- washington: WAC 296-126-092: a 30-minute meal starting no less than 2 and no more than 5 hours
  from the beginning of the shift when the shift is more than 5 hours, and no employee works more
  than 5 consecutive hours without a meal (so a second is owed 5 hours after the first).
- colorado: 7 CCR 1103-1 (COMPS Order) Rule 5.1: a 30-minute meal when the shift exceeds 5
  consecutive hours; its timing ("to the extent practical" an hour after the start and before the
  end) is advice, not a deadline, so it is not flagged.
Not encoded: Oregon (OAR 839-020-0050 owes more meals past 8 hours per a table, Appendix A, that
could not be read here) and New York (Labor Law 162 ties meals to times of day and industries).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MealRule:
    """One meal a work period may owe. Every figure is in minutes of work (hours worked)."""

    owed_over: int  # owed when the work counted from `origin` is more than this
    start_by: int | None  # must start within this much work from the origin (None: no deadline)
    start_after: int = 0  # and not before this much work from the origin
    # The origin: the start of the work period, or the previous meal (its deadline if it was missed).
    from_previous_meal: bool = False
    waivable_up_to: int | None = None  # the org may waive it for a work period of at most this


@dataclass(frozen=True)
class MealRuleSet:
    name: str
    title: str  # what reports print
    source: str  # the text it encodes
    meals: tuple[MealRule, ...] = ()  # the first meal, then the second

    @property
    def flags_meals(self) -> bool:
        return bool(self.meals)


NONE = MealRuleSet("none", "No meal rules (FLSA)", "29 CFR 785.19: no meal break is required")
CALIFORNIA = MealRuleSet(
    "california",
    "California",
    "Labor Code 512, IWC orders",
    meals=(
        MealRule(owed_over=5 * 60, start_by=5 * 60, waivable_up_to=6 * 60),
        MealRule(owed_over=10 * 60, start_by=10 * 60, waivable_up_to=12 * 60),
    ),
)
WASHINGTON = MealRuleSet(
    "washington",
    "Washington",
    "WAC 296-126-092",
    meals=(
        MealRule(owed_over=5 * 60, start_after=2 * 60, start_by=5 * 60),
        MealRule(owed_over=5 * 60, start_by=5 * 60, from_previous_meal=True),
    ),
)
COLORADO = MealRuleSet(
    "colorado",
    "Colorado",
    "7 CCR 1103-1 Rule 5.1",
    meals=(MealRule(owed_over=5 * 60, start_by=None),),
)

RULE_SETS: dict[str, MealRuleSet] = {rules.name: rules for rules in (NONE, CALIFORNIA, WASHINGTON, COLORADO)}
