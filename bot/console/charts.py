"""Chart geometry for server-rendered SVG: Python places the bars, a Jinja macro draws them
(templates/charts.html), so every label goes through autoescaping. No JavaScript."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

# Distinguishable colours (Okabe–Ito), then grey for everything past them. Warm colours first, so
# the risk chart (imminent first) reads red, orange, yellow.
PALETTE = ("#D55E00", "#E69F00", "#F0E442", "#0072B2", "#009E73", "#56B4E9", "#CC79A7")
OTHER_COLOUR = "#999999"
WIDTH, HEIGHT = 360, 180  # small, so that its text stays readable when a phone shrinks it
LEFT, BOTTOM, TOP = 36, 22, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # x, week label
    legend: list[tuple[str, str, int]]  # colour, label, total
    maximum: int
    top: int = TOP
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM


def stacked_columns(weeks: list[date], series: dict[str, list[int]], other_label: str) -> Chart:
    """One column per week, stacked by group; the groups past the palette are merged into one."""
    named = dict(list(series.items())[:len(PALETTE)])
    rest = list(series.values())[len(PALETTE):]
    if rest:
        named[other_label] = [sum(values) for values in zip(*rest)]
    colours = dict(zip(named, PALETTE + (OTHER_COLOUR,)))
    totals = [sum(values[n] for values in named.values()) for n in range(len(weeks))]
    maximum = max(totals + [1])
    slot = (WIDTH - LEFT) / max(len(weeks), 1)
    scale = (HEIGHT - BOTTOM - TOP) / maximum
    bars, ticks = [], []
    every = math.ceil(len(weeks) / 6)  # at most six week labels
    for n, week in enumerate(weeks):
        x, y = LEFT + n * slot + slot * 0.15, HEIGHT - BOTTOM
        for label, values in named.items():
            if values[n]:
                height = values[n] * scale
                y -= height
                bars.append(Bar(round(x, 1), round(y, 1), round(slot * 0.7, 1), round(height, 1),
                                colours[label], f"{week:%d/%m}: {label} {values[n]}"))
        if n % every == 0:
            ticks.append((round(LEFT + n * slot + slot / 2, 1), f"{week:%d/%m}"))
    legend = [(colours[label], label, sum(values)) for label, values in named.items()]
    return Chart(WIDTH, HEIGHT, bars, ticks, legend, maximum)
