"""Missile-defence effectiveness: Pk, salvo, shoot-look-shoot, inventory, decoys -> leakers.

Closed forms in the manner of Wilkening, "A Simple Model for Calculating Ballistic Missile
Defense Effectiveness", *Science & Global Security* 8(2), 2000, 183-215: independent
intercepts with one single-shot kill probability Pk, a salvo of n kills with
1 - (1 - Pk)^n, shoot-look-shoot re-engages a survivor that kill assessment sees, and a
common-mode system reliability multiplies the whole. Raid, decoy, discrimination and
inventory rules are stated in ``defence_outcome``; the sums over the random number of
undiscriminated decoys and the random order of the objects are exact (binomial and
hypergeometric), and the tests check them against a seeded Monte Carlo.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.special import gammaln
from scipy.stats import binom

from bmdsim.errors import InputError


def _probability(name, value):
    v = np.asarray(value, dtype=np.float64)
    if np.any(np.isnan(v)) or np.any(v < 0.0) or np.any(v > 1.0):
        raise InputError(
            f"{name} must be a probability in [0, 1] (got {value})",
            field=name,
            value=value,
            allowed="0..1",
        )
    return v


def _count(name, value, minimum=0):
    if isinstance(value, bool) or not float(value).is_integer() or value < minimum:
        raise InputError(
            f"{name} must be a whole number >= {minimum} (got {value})",
            field=name,
            value=value,
            allowed=f"integer >= {minimum}",
        )
    return int(value)


def _scalar(x):
    return x[()] if np.ndim(x) == 0 else x


def salvo_kill_probability(pk, n):
    """P(kill) of a salvo of n independent shots: 1 - (1 - Pk)^n (Wilkening 2000).

    Pk is the single-shot kill probability (interceptor reliability included). Arrays
    broadcast. Pk 0.8, n 2 -> 0.96.
    """
    p = _probability("pk", pk)
    n = np.asarray(n)
    if np.any(n < 0):
        raise InputError(f"n must be >= 0 (got {n})", field="n", value=n, allowed=">= 0")
    return _scalar(1.0 - (1.0 - p) ** n)


def _leak_probability(q, a, looks):
    """P(an engaged target survives) for ``looks`` looks, salvo survival q, assessment a.

    P_1 = q; P_L = q ((1 - a) + a P_{L-1}): a survivor seen by kill assessment (a) is
    re-engaged, one that is not (1 - a) is taken for dead and leaks. P_0 = 1."""
    leak = np.ones_like(q)
    for i in range(looks):
        leak = q if i == 0 else q * ((1.0 - a) + a * leak)
    return leak


def shoot_look_shoot_kill_probability(pk, shots_per_look, looks, p_assess=1.0):
    """P(kill) of shoot-look-shoot: up to ``looks`` salvos of ``shots_per_look`` shots.

    Salvo survival q = (1 - Pk)^s; after each salvo but the last, kill assessment sees a
    survivor with probability p_assess and the target is re-engaged; a survivor it misses
    is taken for dead (and leaks). Killed targets are never re-engaged. P(kill) = 1 - P_L,
    P_L = q ((1 - a) + a P_{L-1}), P_1 = q; with perfect assessment 1 - q^L, the same kill
    probability as one salvo of s L shots (Wilkening 2000) for fewer interceptors.
    """
    p = _probability("pk", pk)
    a = _probability("p_assess", p_assess)
    s = _count("shots_per_look", shots_per_look, 1)
    n_looks = _count("looks", looks, 1)
    q = (1.0 - p) ** s
    return _scalar(1.0 - _leak_probability(q, a, n_looks))


def expected_interceptors_per_target(pk, shots_per_look, looks, p_assess=1.0):
    """Mean interceptors fired at one engaged target under shoot-look-shoot [-].

    s sum_{j=0}^{L-1} (a q)^j, q = (1 - Pk)^s: look j + 1 fires only when every earlier
    salvo missed and assessment saw it."""
    p = _probability("pk", pk)
    a = _probability("p_assess", p_assess)
    s = _count("shots_per_look", shots_per_look, 1)
    n_looks = _count("looks", looks, 1)
    aq = a * (1.0 - p) ** s
    return _scalar(s * sum(aq**j for j in range(n_looks)))


@dataclass(frozen=True)
class DefenceOutcome:
    """Result of a raid against a defence; expectations over all chance events.

    ``expected_leakers``: RVs that are not killed; ``p_zero_leakers``: probability that
    none leaks; ``interceptors_spent``: mean interceptors fired; ``rv_engaged`` /
    ``decoys_engaged``: mean RVs / undiscriminated decoys engaged;
    ``kill_probability_per_rv``: P(kill) of one fully engaged RV; ``interceptors_reserved``:
    interceptors committed before the battle (s L per engaged object), the rest held back.
    """

    expected_leakers: float
    p_zero_leakers: float
    interceptors_spent: float
    rv_engaged: float
    decoys_engaged: float
    kill_probability_per_rv: float
    interceptors_reserved: float
    raid_size: int
    inventory: int | None

    def __repr__(self) -> str:
        inv = "unlimited" if self.inventory is None else str(self.inventory)
        return (
            f"<DefenceOutcome {self.raid_size} RVs vs {inv} interceptors: "
            f"{self.expected_leakers:.3g} leakers expected, P(none) {self.p_zero_leakers:.3f}, "
            f"{self.interceptors_spent:.3g} interceptors spent>"
        )

    def to_dict(self) -> dict:
        return asdict(self)


def _log_comb(n, r):
    return gammaln(n + 1.0) - gammaln(r + 1.0) - gammaln(n - r + 1.0)


def defence_outcome(
    raid_size,
    *,
    pk,
    shots_per_target=1,
    looks=1,
    inventory=None,
    decoys_per_rv=0,
    p_discriminate=1.0,
    p_assess=1.0,
    p_system=1.0,
) -> DefenceOutcome:
    """Expected leakers, P(no leaker) and interceptors spent for a raid (Wilkening 2000).

    Model, stated:
    - Raid: ``raid_size`` RVs and ``decoys_per_rv`` decoys per RV. Each decoy is recognised
      as a decoy (and ignored) with probability ``p_discriminate``, independently; RVs are
      never dismissed. Undiscriminated decoys look like RVs and are engaged like them, with
      the same Pk. So the defence engages T = N + U objects, U ~ Binomial(N D, 1 - p_d).
    - Doctrine: ``shots_per_target`` interceptors per look, up to ``looks`` looks
      (``shoot_look_shoot_kill_probability``; looks = 1 is a salvo), kill assessment
      ``p_assess``, all shots independent.
    - Inventory and allocation: objects are engaged in arrival order, which is random with
      respect to type (the defence cannot tell them apart). Before the battle each engaged
      object is assigned the doctrine's worst case, s L interceptors, so
      k = min(T, floor(I / (s L))) objects get the full doctrine; with r = I - k s L left
      and objects still unassigned, the next one gets floor(r / s) looks (if >= 1);
      interceptors are committed in whole salvos and the remainder (< s) is held back.
      Unassigned objects leak. Reserved interceptors that re-looks do not need are not
      fired (``interceptors_spent`` < ``interceptors_reserved``). ``inventory=None``:
      unlimited.
    - System: with probability 1 - ``p_system`` (common-mode failure: sensors, battle
      management) nothing is fired and every RV leaks.

    Exact sums over U (binomial) and the positions of the RVs among the engaged
    (hypergeometric). With no decoys and enough interceptors, P(no leaker) = P_kill^N.
    """
    n_rv = _count("raid_size", raid_size)
    s = _count("shots_per_target", shots_per_target, 1)
    n_looks = _count("looks", looks, 1)
    n_decoys = n_rv * _count("decoys_per_rv", decoys_per_rv)
    inv = None if inventory is None else _count("inventory", inventory)
    p = float(_probability("pk", pk))
    pd = float(_probability("p_discriminate", p_discriminate))
    a = float(_probability("p_assess", p_assess))
    p_sys = float(_probability("p_system", p_system))

    q = (1.0 - p) ** s
    leak = [float(_leak_probability(np.float64(q), a, j)) for j in range(n_looks + 1)]
    cost = [s * sum((a * q) ** i for i in range(j)) for j in range(n_looks + 1)]
    p_kill = 1.0 - leak[n_looks]
    if n_rv == 0:
        return DefenceOutcome(0.0, 1.0, 0.0, 0.0, 0.0, p_kill, 0.0, 0, inv)

    u = np.arange(n_decoys + 1, dtype=np.float64)
    w = binom.pmf(u, n_decoys, 1.0 - pd) if n_decoys else np.ones(1)
    total = n_rv + u  # objects engaged if the inventory allows
    per = s * n_looks
    if inv is None:
        k_full = total.copy()
    else:
        k_full = np.minimum(total, inv // per)
    remaining = np.zeros_like(total) if inv is None else inv - k_full * per
    part_looks = np.where(k_full < total, np.minimum(n_looks, remaining // s), 0).astype(int)
    has_part = part_looks >= 1
    leak_part = np.array(leak)[part_looks]
    cost_part = np.array(cost)[part_looks]
    k_eng = k_full + has_part

    frac_rv = n_rv / total
    rv_engaged = frac_rv * k_eng
    decoys_engaged = (1.0 - frac_rv) * k_eng
    rv_leak = n_rv - frac_rv * (k_full * (1.0 - leak[n_looks]) + has_part * (1.0 - leak_part))
    spent = k_full * cost[n_looks] + has_part * cost_part
    reserved = k_full * per + has_part * part_looks * s

    # P(all N RVs among the k_eng engaged positions) = C(T - N, k - N) / C(T, k).
    with np.errstate(invalid="ignore"):
        log_h = _log_comb(total - n_rv, k_eng - n_rv) - _log_comb(total, k_eng)
    h = np.where(k_eng >= n_rv, np.exp(np.where(k_eng >= n_rv, log_h, 0.0)), 0.0)
    survive_full = (1.0 - leak[n_looks]) ** n_rv
    # With a part-engaged object, it is an RV with probability N / k_eng given all N inside.
    rv_in_part = np.where(has_part, n_rv / np.maximum(k_eng, 1.0), 0.0)
    survive_mixed = (1.0 - leak[n_looks]) ** (n_rv - 1) * (1.0 - leak_part)
    p0 = h * ((1.0 - rv_in_part) * survive_full + rv_in_part * survive_mixed)

    def mean(x):
        return float(np.sum(w * x))

    return DefenceOutcome(
        expected_leakers=p_sys * mean(rv_leak) + (1.0 - p_sys) * n_rv,
        p_zero_leakers=p_sys * mean(p0),
        interceptors_spent=p_sys * mean(spent),
        rv_engaged=p_sys * mean(rv_engaged),
        decoys_engaged=p_sys * mean(decoys_engaged),
        kill_probability_per_rv=p_kill,
        interceptors_reserved=p_sys * mean(reserved),
        raid_size=n_rv,
        inventory=inv,
    )


def expected_leakers(raid_size, **doctrine) -> float:
    """Expected number of RVs that leak: ``defence_outcome(...).expected_leakers``."""
    return defence_outcome(raid_size, **doctrine).expected_leakers


def probability_no_leaker(raid_size, **doctrine) -> float:
    """Probability that no RV leaks: ``defence_outcome(...).p_zero_leakers``."""
    return defence_outcome(raid_size, **doctrine).p_zero_leakers


__all__ = [
    "DefenceOutcome",
    "defence_outcome",
    "expected_interceptors_per_target",
    "expected_leakers",
    "probability_no_leaker",
    "salvo_kill_probability",
    "shoot_look_shoot_kill_probability",
]
