"""Published values the benchmarks are compared with (from the datasets' SOURCE.md files)."""

from __future__ import annotations

# ITC 2007 exam track, soft cost. Best of Müller's ITC 2007 table (his submitted best of 100 runs).
ITC2007_PUBLISHED_BEST = {
    "exam_comp_set1": 4356,
    "exam_comp_set2": 390,
    "exam_comp_set3": 9568,
    "exam_comp_set4": 16591,
    "exam_comp_set5": 2941,
    "exam_comp_set6": 25775,
    "exam_comp_set7": 4088,
    "exam_comp_set8": 7565,
}

# Later literature, for context: the average cost of Bykov & Petrovic (2013), the strongest
# column of SOURCE.md table B (averages over runs, not best values).
ITC2007_LATER_AVERAGE = {
    "exam_comp_set1": 4008,
    "exam_comp_set2": 404,
    "exam_comp_set3": 8012,
    "exam_comp_set4": 13312,
    "exam_comp_set5": 2582,
    "exam_comp_set6": 25448,
    "exam_comp_set7": 3893,
    "exam_comp_set8": 6944,
}

# UniTime's examination solver run on a 2-core machine (the better of its competition code and
# current library per set), as given in the exam issue; keyed by time limit in seconds.
ITC2007_UNITIME = {
    60: {
        "exam_comp_set1": 4604,
        "exam_comp_set2": 430,
        "exam_comp_set3": 10429,
        "exam_comp_set4": 22183,
        "exam_comp_set5": 3420,
        "exam_comp_set6": 26455,
        "exam_comp_set7": 4290,
        "exam_comp_set8": 7809,
    },
    300: {
        "exam_comp_set1": 4313,
        "exam_comp_set2": 395,
        "exam_comp_set3": 9629,
        "exam_comp_set4": 19044,
    },
}

# Toronto, average proximity cost per student: the minimum over N. Leite's compilation of later
# methods (SOURCE.md table B); Carter 1996's pur93 and rye92 values predate data fixes, so the
# minimum without them is used for those two.
TORONTO_PUBLISHED_BEST = {
    "car-s-91": 4.37,
    "car-f-92": 3.69,
    "ear-f-83": 32.48,
    "hec-s-92": 10.03,
    "kfu-s-93": 12.81,
    "lse-f-91": 9.78,
    "pur-s-93": 4.10,
    "rye-s-93": 7.89,
    "sta-f-83": 156.9,
    "tre-s-92": 7.67,
    "uta-s-92": 3.01,
    "ute-s-92": 24.77,
    "yor-f-83": 34.44,
}

# CB-CTT (ITC 2007 track 3, UD2 scoring), comp01-comp21: (best-known upper bound, best published
# lower bound) as transcribed in ../shared/datasets/itc2007_ctt/SOURCE.md from Bettinelli,
# Cacchiani, Roberti & Toth, "An overview of curriculum-based course timetabling", TOP 23 (2015):
# UB is the CB-CTT site's WBest at the time (equal to the LB where the optimum is proven); LB is
# the highest of Table 1, or the site's value the paper quotes in §3.8 (comp05 211, comp09 96,
# comp18 61, comp19 57, comp21 74). Later improvements may exist.
CBCTT_BEST_KNOWN: dict[str, tuple[int, int]] = {
    "comp01": (5, 5),
    "comp02": (24, 16),
    "comp03": (64, 52),
    "comp04": (35, 35),
    "comp05": (284, 211),
    "comp06": (27, 27),
    "comp07": (6, 6),
    "comp08": (37, 37),
    "comp09": (96, 96),
    "comp10": (4, 4),
    "comp11": (0, 0),
    "comp12": (298, 109),
    "comp13": (59, 59),
    "comp14": (51, 51),
    "comp15": (64, 52),
    "comp16": (18, 18),
    "comp17": (56, 56),
    "comp18": (61, 61),
    "comp19": (57, 57),
    "comp20": (4, 4),
    "comp21": (74, 74),
}

# UniTime's course timetabling solver on comp01-comp07 at 60 s, as given in the lesson issue;
# keyed by time limit in seconds like ITC2007_UNITIME. (The single 60 s runs bundled in
# datasets/instances/cbctt/reference_solutions score 5, 111, 98, 50, 370, 76 and 66.)
CBCTT_UNITIME: dict[int, dict[str, int]] = {
    60: {
        "comp01": 5,
        "comp02": 60,
        "comp03": 81,
        "comp04": 42,
        "comp05": 366,
        "comp06": 54,
        "comp07": 20,
    },
}

# ITC 2007 post-enrolment track, instances 1-16: the lowest soft cost (at distance to feasibility
# 0) among the five finalists' best of 10 organiser runs, Müller's ITC 2007 solver description,
# Table 3 (the "min" column of ../shared/datasets/itc2007_pe/SOURCE.md). 0 is the trivial lower
# bound; no later best-known values or non-trivial bounds were found.
PE_PUBLISHED_BEST: dict[str, int] = {
    f"comp-2007-2-{number}": cost
    for number, cost in enumerate((15, 0, 164, 239, 5, 0, 0, 0, 0, 0, 178, 32, 0, 0, 0, 1), start=1)
}
