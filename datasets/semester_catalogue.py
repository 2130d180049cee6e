"""The synthetic university's catalogue: campuses, buildings, people's names, and the faculties
and departments with their programmes and course topics."""

from __future__ import annotations

from dataclasses import dataclass

LECTURE_HALL, CLASSROOM = "lecture hall", "classroom"
COMPUTER_LAB, CHEMISTRY_LAB, PHYSICS_LAB = "computer lab", "chemistry lab", "physics lab"

CAMPUSES = (
    ("Almaty", "ALA"),
    ("Astana", "AST"),
    ("Shymkent", "SHY"),
    ("Karaganda", "KAR"),
    ("Aktobe", "AKB"),
    ("Atyrau", "ATY"),
    ("Pavlodar", "PAV"),
    ("Oskemen", "OSK"),
    ("Taraz", "TAR"),
    ("Kostanay", "KOS"),
)
BUILDINGS = (
    ("Main Building", "MB"),
    ("Laboratory Building", "LB"),
    ("Academic Building", "AB"),
    ("Library Building", "LIB"),
    ("Engineering Building", "EB"),
    ("North Building", "NB"),
    ("South Building", "SB"),
    ("Business Building", "BB"),
)
SURNAMES = (
    "Akhmetov", "Abenov", "Baimukhamedov", "Bekov", "Dzhaksybekov", "Ermekov", "Iskakov", "Ismailov",
    "Ivanov", "Karimov", "Kassymov", "Kuanyshev", "Kuznetsov", "Morozov", "Mukanov", "Nurlanov",
    "Omarov", "Petrov", "Popov", "Sadykov", "Serikov", "Smirnov", "Sokolov", "Suleimenov", "Tokayev",
    "Tulegenov", "Utepov", "Volkov", "Zhakupov", "Zhumabayev",
)  # fmt: skip
MEN = (
    "Arman", "Askar", "Azamat", "Bauyrzhan", "Daniyar", "Dmitry", "Kanat", "Marat", "Nurlan", "Ruslan",
    "Sergey", "Timur", "Yerlan", "Yerzhan", "Alexey",
)  # fmt: skip
WOMEN = (
    "Aigerim", "Aizhan", "Aliya", "Anna", "Assel", "Dana", "Dinara", "Elena", "Gulnara", "Kamila",
    "Lyazzat", "Madina", "Olga", "Saule", "Zhanar",
)  # fmt: skip


@dataclass(frozen=True)
class CatalogueDepartment:
    faculty: str
    name: str
    code: str
    lab: str | None  # the kind of lab its courses' lab subgroups use
    programmes: tuple[str, ...]
    topics: tuple[str, ...]


def _department(
    faculty: str, name: str, code: str, lab: str | None, programmes: str, topics: str
) -> CatalogueDepartment:
    return CatalogueDepartment(
        faculty, name, code, lab, tuple(programmes.split(", ")), tuple(topics.split(", "))
    )


_IT, _BUSINESS, _ENERGY = "School of Information Technology", "Business School", "School of Energy"
_CHEMISTRY, _GEOLOGY = "School of Chemical Engineering", "School of Geology"
_MATHS, _SOCIAL = "School of Applied Mathematics", "School of Social Sciences and Humanities"
CATALOGUE = (
    _department(
        _IT, "Computer Engineering", "CSE", COMPUTER_LAB, "Computer Science, Software Engineering",
        "Programming Principles, Discrete Structures, Data Structures, Algorithms, Databases, "
        "Operating Systems, Computer Networks, Computer Architecture, Web Development, Software Design, "
        "Machine Learning, Compilers, Distributed Systems, Mobile Development, Computer Graphics",
    ),
    _department(
        _IT, "Information Systems", "ISE", COMPUTER_LAB, "Information Systems, Data Science",
        "Business Process Modelling, Data Analysis, Enterprise Systems, Data Visualisation, Big Data, "
        "Cloud Computing, IT Project Management, Systems Analysis, Data Mining, Deep Learning",
    ),
    _department(
        _IT, "Automation and Control", "AUT", PHYSICS_LAB, "Automation and Control, Robotics",
        "Electrical Circuits, Control Theory, Sensors and Measurements, Microcontrollers, "
        "Digital Electronics, Industrial Automation, Signals and Systems, Robot Kinematics, Embedded Systems",
    ),
    _department(
        _BUSINESS, "Finance and Accounting", "FIN", None, "Finance, Accounting and Audit",
        "Financial Accounting, Corporate Finance, Financial Markets, Managerial Accounting, Auditing, "
        "Taxation, Investments, Banking, Risk Management, International Finance, Financial Modelling",
    ),
    _department(
        _BUSINESS, "Management and Marketing", "MNG", None, "Management, Marketing, Logistics",
        "Principles of Management, Organisational Behaviour, Marketing Principles, Consumer Behaviour, "
        "Operations Management, Strategic Management, Supply Chain Management, Human Resource Management, "
        "Digital Marketing, Business Ethics, Entrepreneurship",
    ),
    _department(
        _BUSINESS, "Economics", "ECN", None, "Economics",
        "Microeconomics, Macroeconomics, Econometrics, Economic History, Public Finance, "
        "International Trade, Labour Economics, Development Economics, Game Theory",
    ),
    _department(
        _ENERGY, "Petroleum Engineering", "PET", CHEMISTRY_LAB, "Petroleum Engineering, Oil and Gas Business",
        "Reservoir Engineering, Drilling Engineering, Petroleum Geology, Production Engineering, "
        "Well Testing, Fluid Mechanics, Petrophysics, Enhanced Oil Recovery, Pipeline Transport",
    ),
    _department(
        _ENERGY, "Power Engineering", "PWR", PHYSICS_LAB,
        "Electric Power Engineering, Heat Power Engineering",
        "Electric Machines, Power Systems, Power Electronics, Heat Transfer, Renewable Energy, "
        "Relay Protection, High Voltage Engineering, Energy Efficiency, Power Plants",
    ),
    _department(
        _CHEMISTRY, "Chemical Engineering", "CHE", CHEMISTRY_LAB, "Chemical Technology, Materials Science",
        "General Chemistry, Organic Chemistry, Physical Chemistry, Analytical Chemistry, Chemical Reactors, "
        "Mass Transfer, Polymer Chemistry, Process Control, Materials Characterisation, Corrosion",
    ),
    _department(
        _GEOLOGY, "Geology", "GEO", CHEMISTRY_LAB, "Geology and Exploration, Geophysics",
        "Physical Geology, Mineralogy, Petrography, Structural Geology, Geochemistry, Seismic Exploration, "
        "Hydrogeology, Geological Mapping, Well Logging, Sedimentology",
    ),
    _department(
        _MATHS, "Mathematics", "MAT", COMPUTER_LAB, "Applied Mathematics, Statistics",
        "Calculus, Linear Algebra, Differential Equations, Probability Theory, Numerical Methods, "
        "Optimisation, Mathematical Statistics, Real Analysis, Stochastic Processes, Mathematical Modelling",
    ),
    _department(
        _MATHS, "Physics", "PHY", PHYSICS_LAB, "Technical Physics",
        "Mechanics, Electricity and Magnetism, Optics, Quantum Physics, Solid State Physics, "
        "Thermodynamics, Nuclear Physics, Physics of Materials",
    ),
    _department(
        _SOCIAL, "Languages", "LAN", None, "Translation Studies",
        "Translation Theory, Phonetics, Academic Writing, Interpreting, Linguistics, Stylistics, "
        "Intercultural Communication, Literary Translation",
    ),
    _department(
        _SOCIAL, "History and Philosophy", "HUM", None, "International Relations",
        "World History, Political Science, Sociology, Diplomacy, International Law, Cultural Studies, "
        "Regional Studies, Ethics",
    ),
)  # fmt: skip
BY_CODE = {department.code: department for department in CATALOGUE}
