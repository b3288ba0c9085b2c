"""Word banks for the fictional data generator (:mod:`incident_recorder.domain.generator`).

Every name, school and place here is made up. The names are a mix a school in England
might have on roll: British, Irish, Welsh and Scottish names beside Polish, Nigerian,
Ghanaian, Somali, Bangladeshi, Pakistani, Indian, Chinese, Vietnamese, Caribbean, Turkish,
Romanian, Portuguese and other families' names, written in Latin letters with their
accents. Pairs of first and last names are drawn at random, so no generated person is
anyone real.

Texts use ``{name}`` (the pupil's first or preferred name), ``{adult}`` (a member of
staff) and similar placeholders that the generator fills in. The wording is plain and
kind, as a member of staff would write it.
"""

from __future__ import annotations

from incident_recorder.domain.model import LawfulGround

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Amara", "Tomasz", "Siân", "Zoë", "Łukasz", "Oluwaseun", "Aisha", "Oliver", "Amelia",
    "Mohammed", "Isla", "Noah", "Freya", "Arjun", "Chloé", "Kacper", "Maja", "Chidi",
    "Ngozi", "Kwame", "Ama", "Hamza", "Fatima", "Ibrahim", "Hodan", "Abdirahman", "Priya",
    "Rohan", "Anaya", "Yusuf", "Zainab", "Ayesha", "Rahim", "Tahmina", "Mei", "Jun",
    "Linh", "Minh", "Thảo", "Dylan", "Cerys", "Rhys", "Ffion", "Gethin", "Eilidh", "Callum",
    "Niamh", "Seán", "Aoife", "Ciarán", "Róisín", "Jayden", "Tyrese", "Shanice", "Malachi",
    "Leah", "Jack", "Poppy", "George", "Ruby", "Alfie", "Evie", "Harry", "Lily", "Theo",
    "Grace", "Leo", "Ivy", "Finley", "Daisy", "Emre", "Elif", "Deniz", "Andrei", "Ioana",
    "Bianca", "Mihai", "João", "Inês", "Tiago", "Beatriz", "Zofia", "Wiktoria", "Szymon",
    "Jakub", "Agnieszka", "Hana", "Yaw", "Efua", "Kofi", "Adaeze", "Chiamaka", "Tobenna",
    "Oskar", "Matéo", "Léa", "Renée", "Noémie", "Björn", "Saoirse", "Kai", "Riley", "Ellis",
    "Sami", "Layla", "Nour", "Omar", "Yasmin", "Ravi", "Simran", "Harpreet", "Gurdeep",
    "Aarav", "Diya", "Ishaan", "Keisha", "Marcus", "Tia", "Jordan", "Amari", "Nia",
    "Esmé", "Jude", "Bethan", "Dewi", "Lowri", "Ewan", "Morven", "Ayo", "Tolu", "Femi",
    "Chen", "Xin", "Wei", "Anh", "Huy", "Mariam", "Bilal", "Sana", "Idris", "Halima",
    "Florin", "Darius", "Petra", "Milan", "Vesna", "Luca", "Giulia", "Sofía", "Mateo",
)

LAST_NAMES: tuple[str, ...] = (
    "Okafor", "Nowak", "Griffiths", "Nguyễn", "Adeyemi", "Kowalski", "Wiśniewska",
    "Jones", "Evans", "Williams", "Davies", "Thomas", "Roberts", "Hughes", "Lewis",
    "Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Green", "Hall", "Wood",
    "Clarke", "Patel", "Shah", "Begum", "Ahmed", "Hussain", "Khan", "Rahman", "Uddin",
    "Chowdhury", "Akhtar", "Iqbal", "Malik", "Sharma", "Singh", "Kaur", "Gill", "Sandhu",
    "Mensah", "Boateng", "Owusu", "Asante", "Osei", "Adebayo", "Okonkwo", "Eze", "Nwosu",
    "Balogun", "Olawale", "Abdi", "Mohamed", "Farah", "Warsame", "Hassan", "Yılmaz",
    "Demir", "Öztürk", "Kaya", "Popescu", "Ionescu", "Dumitru", "Constantin", "Silva",
    "Santos", "Gonçalves", "Ferreira", "Costa", "Zieliński", "Wójcik", "Kamińska",
    "Lewandowski", "Szymańska", "Murphy", "O'Brien", "Ó Súilleabháin", "Byrne", "Kelly",
    "MacLeod", "Campbell", "Fraser", "McKenzie", "Robertson", "Chen", "Wang", "Li",
    "Zhang", "Wong", "Trần", "Lê", "Phạm", "Hoàng", "Campbell-Brown", "Johnson",
    "Reid", "Grant", "Francis", "Henry", "Morgan-Ellis", "Bianchi", "Rossi", "Müller",
    "Novák", "Horváth", "Petrović", "Jovanović", "Dubois", "Lefèvre", "Martín", "García",
    "Fernández", "Andersson", "Haddad", "Mansour", "Karimi", "Rezaei", "Achterberg",
    "Mwangi", "Otieno", "Banda", "Phiri", "Dlamini", "Ramírez", "Ashworth", "Pemberton",
    "Fairclough", "Holloway", "Whitaker", "Greenwood", "Ainsworth", "Bradshaw",
)

# fmt: on

PREFERRED: dict[str, str] = {
    "Oluwaseun": "Seun",
    "Abdirahman": "Abdi",
    "Agnieszka": "Aga",
    "Chiamaka": "Ama",
    "Tobenna": "Tobi",
    "Wiktoria": "Wiki",
    "Mohammed": "Mo",
    "Alexander": "Alex",
    "Beatriz": "Bia",
    "Harpreet": "Harry",
    "Adaeze": "Daze",
}

STAFF_TITLES: tuple[str, ...] = (
    "Class teacher",
    "Class teacher",
    "Teaching assistant",
    "Teaching assistant",
    "Teaching assistant",
    "Higher level teaching assistant",
    "Learning mentor",
    "Midday supervisor",
    "Pastoral support worker",
    "Family support worker",
    "PE teacher",
    "Office manager",
)

SCHOOLS: tuple[tuple[str, str], ...] = (
    ("Hollowmere Primary School", "14 Quillon Road, Fennbridge, FB3 2XQ"),
    ("Kestrel Fields Primary School", "2 Mallow Lane, Ashcombe Vale, AV7 1ZJ"),
    ("Larkspur Vale Community Primary", "Orchard Rise, Brindlecombe, BQ4 9XW"),
)

# fmt: off
CLASS_NAMES: tuple[str, ...] = (
    "Oak", "Willow", "Rowan", "Hazel", "Birch", "Maple", "Cedar", "Elm", "Ash", "Holly",
    "Beech", "Alder", "Aspen", "Juniper",
)

YEAR_GROUPS: tuple[str, ...] = (
    "Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6",
)

# The default pick-lists (resources/picklists.toml), as the generator uses them.
LOCATIONS: tuple[str, ...] = (
    "Classroom", "Classroom", "Classroom", "Corridor", "Corridor", "Hall", "Dining hall",
    "Playground", "Playground", "Field", "Sports hall / PE", "Library", "Toilets",
    "Reception / front office", "Sensory room", "Calm room / quiet space", "Stairwell",
    "School gate / car park",
)

STRATEGIES: tuple[str, ...] = (
    "Calm, quiet voice and reassurance",
    "Gave the pupil space and time",
    "Offered choices",
    "Distraction or change of activity",
    "Humour or positive re-direction",
    "Reminded of rewards and expectations",
    "Moved other pupils away",
    "Changed the adult (change of face)",
    "Offered a break or the calm space",
    "Used the pupil's visual or communication aids",
    "Followed the pupil's behaviour support plan strategies",
    "Contacted a key adult known to the pupil",
    "Removed objects that could be used to cause harm",
)

FORCE_HOLDS: tuple[str, ...] = (
    "Caring C guide", "Friendly hold (standing)", "Friendly hold (standing)", "Single elbow",
    "Single elbow", "Figure of four", "Double elbow", "Wrap (standing)", "Seated wrap",
    "Seated single elbow", "Seated double elbow", "Escort (two staff)",
)
GENTLE_HOLDS: tuple[str, ...] = (
    "Blocking / positioning without holding",
    "Guiding with an open hand",
)

# fmt: on

# What each technique does to the child, as resources/letters/technique_words.toml
# says under [contact] (a test keeps the two the same): the demo's summaries for
# parents must not say "held" when the technique only guided or blocked.
TECHNIQUE_GROUPS: dict[str, str] = {
    "Caring C guide": "guide",
    "Friendly hold (standing)": "hold",
    "Single elbow": "hold",
    "Figure of four": "hold",
    "Double elbow": "hold",
    "Wrap (standing)": "hold",
    "Seated wrap": "hold",
    "Seated single elbow": "hold",
    "Seated double elbow": "hold",
    "Escort (two staff)": "hold",
    "Blocking / positioning without holding": "no_contact",
    "Guiding with an open hand": "guide",
}

# How a technique reads in the account: "... so {adult} used a single elbow."
HOLD_PHRASES: dict[str, str] = {
    "Caring C guide": "guided them with a caring C",
    "Friendly hold (standing)": "used a standing friendly hold",
    "Single elbow": "used a single elbow",
    "Figure of four": "used a figure of four",
    "Double elbow": "used a double elbow with a colleague",
    "Wrap (standing)": "used a standing wrap",
    "Seated wrap": "sat down with them in a seated wrap",
    "Seated single elbow": "used a seated single elbow",
    "Seated double elbow": "used a seated double elbow",
    "Escort (two staff)": "walked them away in a two-person escort",
    "Blocking / positioning without holding": "stood in the way without holding them",
    "Guiding with an open hand": "guided them away with an open hand",
}

ANTECEDENTS: tuple[str, ...] = (
    "{name} arrived upset after a difficult journey to school, and breakfast club had been "
    "busy and loud.",
    "The timetable changed after break: swimming was cancelled at short notice and {name} had "
    "been looking forward to it all week.",
    "{name} had been told there would be no football at lunchtime after an earlier "
    "disagreement, and was finding that hard to accept.",
    "A disagreement with another pupil over whose turn it was on the climbing frame.",
    "The class had a supply teacher and the usual morning routine was different.",
    "{name} found the noise in the dining hall hard to bear and asked to leave before the end "
    "of lunch.",
    "During a spelling test {name} became frustrated, said the words were too hard and tore "
    "up the paper.",
    "There had been a fire drill earlier in the morning and {name} had been unsettled since.",
    "{name} was asked to hand in a mobile phone, as the school rules require, and did not want to.",
    "Coming back into class from the playground after lunch, a transition that is often hard "
    "for {name}.",
    "A note from home said {name} had not slept well; {name} was tired and tearful from the "
    "start of the day.",
    "Another pupil made an unkind comment about {name}'s family during group work.",
    "A visitor came into the classroom unexpectedly to take photographs for the newsletter.",
    "{name}'s key adult was absent today and a different adult was supporting the class.",
    "{name} lost a game in PE and felt the other team had cheated.",
    "The end of the school day: {name} was worried about who would be collecting them.",
)

# The kinds of antecedent (resources/picklists.toml's [antecedents]) a recorder would
# tick for each of ANTECEDENTS, in the same order.
ANTECEDENT_TYPES: tuple[tuple[str, ...], ...] = (
    ("Something before school", "Sensory overload (noise, crowds)"),
    ("Change to routine",),
    ("Told no / asked to stop",),
    ("Conflict with another pupil", "Unstructured time (break, lunch)"),
    ("Change to routine",),
    ("Sensory overload (noise, crowds)", "Unstructured time (break, lunch)"),
    ("Demand or task given",),
    ("Change to routine", "Sensory overload (noise, crowds)"),
    ("Demand or task given", "Told no / asked to stop"),
    ("Transition or change of activity", "Unstructured time (break, lunch)"),
    ("Tired, hungry or unwell", "Something before school"),
    ("Conflict with another pupil",),
    ("Change to routine",),
    ("Change to routine", "Adult attention / interaction"),
    ("Conflict with another pupil",),
    ("Transition or change of activity",),
)


class Scenario:
    """What the pupil did, why it was dangerous, and the lawful ground that follows."""

    __slots__ = ("behaviour", "danger", "grounds", "justification", "places")

    def __init__(
        self,
        behaviour: str,
        danger: str,
        grounds: tuple[LawfulGround, ...],
        justification: str,
        places: tuple[str, ...] = (),
    ) -> None:
        self.behaviour = behaviour
        self.danger = danger
        self.grounds = grounds
        self.justification = justification
        self.places = places


_I, _D, _O, _R = (
    LawfulGround.PREVENT_INJURY,
    LawfulGround.PREVENT_DAMAGE,
    LawfulGround.PREVENT_DISORDER,
    LawfulGround.REMOVE_DISRUPTIVE,
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Threw chairs and a pot of pencils across the classroom, then ran at a younger pupil "
        "with a raised fist.",
        "raised a chair above their head near another pupil",
        (_I,),
        "{name} was about to hurt another pupil and talking calmly had not worked. A brief "
        "hold was the least restrictive way to keep everyone safe.",
        ("Classroom", "Library"),
    ),
    Scenario(
        "Kicked and hit out at other pupils in the line and tried to bite a member of staff.",
        "kicked out at the pupils nearest to them",
        (_I,),
        "Other pupils were within reach and were being hurt. Staff had given space and spoken "
        "calmly first; holding {name} briefly stopped anyone being injured.",
        ("Corridor", "Playground", "Dining hall", "Hall"),
    ),
    Scenario(
        "Climbed onto the sill of an open first-floor window and would not come down.",
        "leaned out of the open window",
        (_I,),
        "{name} could have fallen from the window. There was no time to wait, so {adult} "
        "guided {name} down and held them until the window was shut.",
        ("Classroom", "Stairwell", "Corridor"),
    ),
    Scenario(
        "Ran out of the building and towards the school gate, which opens onto a busy road.",
        "reached the gate and pulled at the latch",
        (_I,),
        "The road outside is busy and {name} was not stopping. The risk of serious injury was "
        "immediate, so staff held {name} until they were calm enough to walk back inside.",
        ("School gate / car park", "Playground", "Field"),
    ),
    Scenario(
        "Picked up a pair of scissors and waved them close to other pupils' faces.",
        "moved towards a classmate with the scissors",
        (_I, _O),
        "There was a real risk of someone being cut. Staff asked {name} to put the scissors "
        "down several times first; a brief hold let {adult} take them safely.",
        ("Classroom",),
    ),
    Scenario(
        "Repeatedly banged their head against the wall and scratched their own arms.",
        "kept hitting their head against the wall",
        (_I,),
        "{name} was hurting themself and could not stop when asked. Guiding {name} away from "
        "the wall and holding their arms gently was needed to prevent injury.",
        ("Corridor", "Toilets", "Calm room / quiet space", "Sensory room"),
    ),
    Scenario(
        "Pushed over a display board and was about to throw a class laptop.",
        "lifted the laptop to throw it",
        (_D, _I),
        "The laptop could have been broken or hit someone. Staff had moved the other pupils "
        "away and offered {name} a break first; a short hold stopped the damage.",
        ("Classroom", "Library"),
    ),
    Scenario(
        "Hit another pupil several times on the back while queuing for lunch.",
        "carried on hitting the other pupil",
        (_I,),
        "Another pupil was being hurt and {name} did not stop when asked. Staff stepped in "
        "with a brief hold to separate them.",
        ("Dining hall", "Corridor", "Playground"),
    ),
    Scenario(
        "Refused to leave the hall during assembly, shouting and throwing shoes at others.",
        "threw a shoe towards the younger children at the front",
        (_R, _O),
        "{name} was asked calmly several times to leave and was offered the calm room. When "
        "the throwing continued near the youngest children, staff escorted {name} out.",
        ("Hall",),
    ),
    Scenario(
        "Tried to climb the fence at the back of the field, which is over two metres high.",
        "got a foot onto the top rail of the fence",
        (_I,),
        "{name} could have fallen from the top of the fence or left the site. Staff held "
        "{name} at the bottom of the fence and walked them back to the building.",
        ("Field", "Playground"),
    ),
    Scenario(
        "Locked themself in a toilet cubicle and began to climb over the partition.",
        "climbed on top of the partition wall",
        (_I,),
        "{name} was at risk of falling onto the tiled floor. Staff helped {name} down and "
        "held them for a short time until they were calm.",
        ("Toilets",),
    ),
    Scenario(
        "Swept everything off the teacher's desk and kicked the classroom door repeatedly.",
        "started kicking the glass panel of the door",
        (_D, _I),
        "The glass panel could have broken and cut {name} or others. {adult} tried calm "
        "talk and space first, then guided {name} away from the door.",
        ("Classroom", "Corridor"),
    ),
)

# fmt: off
UPSET_WORDS: tuple[str, ...] = (
    "very upset", "angry", "distressed", "frightened and angry", "agitated", "tearful and cross",
)
DEESCALATION_SHORT: tuple[str, ...] = (
    "offered a break in the calm room",
    "gave {name} space and quiet",
    "offered a choice of two activities",
    "reminded {name} of their visual timetable",
    "asked the other pupils to move to the carpet",
    "tried a change of face with another adult",
)
CALM_TOPICS: tuple[str, ...] = (
    "their pet dog", "the weekend", "a favourite game", "what they would like for lunch",
    "their drawing from the morning", "breathing slowly together",
)
AFTERWARDS: tuple[str, ...] = (
    "sat quietly in the calm room with a drink of water",
    "walked with {adult} to the sensory room and chose a book",
    "was calm and chatted about football",
    "cried for a while and then asked for a hug from their key adult",
    "went back to class after a short break",
    "stayed with {adult} in the library until the end of the lesson",
)

# fmt: on

DEESCALATION_OTHER: tuple[str, ...] = (
    "",
    "",
    "Offered {name}'s favourite fidget toy.",
    "Played calming music in the background.",
    "Used the 'first, then' board.",
    "Sat at {name}'s level and spoke softly.",
)
NO_TIME_REASONS: tuple[str, ...] = (
    "{name} ran straight towards the road gate; there was no time to try anything else "
    "before stepping in.",
    "It happened in a second: {name} swung the chair at another pupil's head without warning.",
    "{name} was already on the window sill when staff arrived, so holding them was the only "
    "safe option.",
)

PUPIL_INJURIES: tuple[str, ...] = (
    "Red mark on the left wrist where it was held; it faded within half an hour.",
    "Small graze on the right knee from a fall before the hold.",
    "Scratches on the forearm, made by {name} before staff stepped in.",
    "Bumped elbow on the door frame while being guided out; no swelling.",
)
STAFF_INJURIES: tuple[str, ...] = (
    "Scratch to the back of the hand.",
    "Bite to the forearm; the skin was not broken.",
    "Kicked on the shin, leaving a bruise.",
    "Hair pulled; no lasting injury.",
)
OTHER_INJURIES: tuple[str, ...] = (
    "A classmate was hit on the arm before staff stepped in; a red mark, no lasting injury.",
    "A younger pupil was pushed over and grazed a hand.",
)
FIRST_AID: tuple[str, ...] = (
    "Cold compress applied; the area was checked again at the end of the day.",
    "Cleaned with a sterile wipe and a plaster applied.",
    "Checked by a first aider; an ice pack for ten minutes.",
    "none needed",
)
MEDICAL: tuple[str, ...] = (
    "",
    "",
    "None needed.",
    "The parent took the pupil to the GP as a precaution; no further treatment was needed.",
)
DAMAGE: tuple[str, ...] = (
    "",
    "",
    "",
    "",
    "A chair leg was broken.",
    "A display board was torn.",
    "A classroom window was cracked.",
    "Two library books were torn.",
)

# Why it was necessary, when the adults guided the child without holding on, or kept
# them safe without touching them (the scenarios' own words are about holds).
JUSTIFY_GUIDE: tuple[str, ...] = (
    "{name} was about to hurt someone and did not respond to calm words or choices. Guiding "
    "{name} away with a hand on their arm, without holding on, was the least restrictive way "
    "to keep everyone safe.",
    "Other pupils were close by and at risk. {adult} had given space and spoken calmly first; "
    "gently guiding {name} to a quieter place kept everyone safe.",
)
JUSTIFY_NO_CONTACT: tuple[str, ...] = (
    "{name} was heading for the open gate and the road. Calm words had not helped, so {adult} "
    "stood in the way, without touching {name}, until they were calmer.",
    "{name} was about to hurt another pupil. {adult} stepped between them, without touching "
    "{name}, which was the least restrictive way to keep everyone safe.",
)
JUSTIFY_SECLUSION: tuple[str, ...] = (
    "{name} was throwing heavy objects and other pupils could not be kept safe in the room. "
    "Staff had tried calm words and a break first; a short time in the calm room, with "
    "{adult} watching, kept everyone safe without anyone touching {name}.",
)
PUPIL_VOICE: tuple[str, ...] = (
    "I was angry because PE was cancelled. I didn't like being held but I know it was to keep "
    "everyone safe.",
    "He said something about my mum and I just lost it. I'm sorry I hit him.",
    "It was too loud and I wanted to go home.",
    "I don't know why I did it. I felt all fizzy inside.",
    "I wanted my own teacher. The new teacher doesn't know me.",
    "{name} chose not to say anything, but drew a picture of the playground and pointed to "
    "where it started.",
    "I was scared when they held me. Next time I want to go to the calm room first.",
    "The work was too hard and everyone was looking at me.",
    "My arm hurt a bit when they held it. I'm OK now.",
    "I thought I was going to be in trouble so I ran.",
    "{name} said they felt embarrassed and did not want to talk today; they nodded when asked "
    "if they felt safe now.",
)
NOT_DEBRIEFED: tuple[str, ...] = (
    "{name} went home soon afterwards and was still unsettled; a debrief with their key adult "
    "is planned for tomorrow morning.",
    "{name} was too tired and upset to talk today; we will try again tomorrow when they feel "
    "ready.",
)
STAFF_DEBRIEF: tuple[str, ...] = (
    "Debrief with {senco} at the end of the day; staff felt the hold was brief and well "
    "coordinated.",
    "Talked it through with {dsl} after school. Agreed to try the calm room earlier next time.",
    "Short debrief in the staff room at lunch; everyone involved was OK.",
    "{senco} met the staff involved after school to go over what happened and what helped.",
)
STAFF_SUPPORT: tuple[str, ...] = (
    "",
    "Offered time out of class the next morning; staff said they were fine.",
    "{adult} was offered a cup of tea and ten minutes away from class; accepted.",
    "Reminded staff of the employee assistance helpline.",
)

TOLD_WHO: tuple[str, ...] = (
    "Mother",
    "Mother",
    "Father",
    "Father",
    "Grandmother (kinship carer)",
    "Stepfather",
    "Aunt (carer)",
    "Both parents",
)
NOT_YET: tuple[str, ...] = (
    "Tried mother's mobile at 15:40 and 16:30 with no answer; left a message asking her to "
    "call the school.",
    "The phone number on file is out of date; the office is finding the new number.",
    "Father works nights and asked not to be called before 17:30; we will ring then.",
)
WITHHELD: tuple[str, ...] = (
    "{name} has said they fear being hurt at home if parents hear about incidents at school. "
    "There is an open referral to children's social care, who advised that we do not tell "
    "parents for now.",
)
LA_WHO: tuple[str, ...] = (
    "Duty social worker, Children's Services front door",
    "{name}'s allocated social worker",
)

SUPPORT: tuple[str, ...] = (
    "Check-in with a key adult each morning this week.",
    "Movement breaks every 30 minutes added to {name}'s timetable.",
    "A social story about changes to the day, to read with a teaching assistant.",
    "Lunchtimes in the nurture room for the rest of the week.",
    "Daily sensory circuit before registration.",
    "A quiet place to go at transitions, agreed with {name}.",
    "Worry box and a daily check-in with the learning mentor.",
)
# The summary for parents and carers (printed in their letter): kind, plain, and never
# naming another child. {name} is the pupil; {time} how long they were held.
PARENT_SUMMARIES: tuple[str, ...] = (
    "{name} became very upset today and was at risk of hurting themselves or someone "
    "else. Staff spoke calmly and gave {name} space first. When that did not help, an adult "
    "held {name} safely for {time} and let go as soon as {name} was calmer.",
    "{name} found the day very hard and was not safe for a short while. Staff tried talking "
    "quietly and offering choices, but to keep everyone safe an adult held {name} for {time}. "
    "{name} settled afterwards with an adult they know well.",
    "{name} was very distressed and was about to hurt another child. An adult stepped in and "
    "held {name} for {time} until the danger had passed, talking gently to them all the time.",
    "Something upset {name} a great deal today. Staff tried to help {name} calm down, but "
    "{name} was not safe, so a member of staff held them for {time}. {name} calmed down "
    "and we talked about what happened.",
)
PARENT_SUMMARIES_GUIDED: tuple[str, ...] = (
    "{name} became very upset today and was heading somewhere that was not safe. Staff "
    "spoke calmly and offered choices first. When that did not help, an adult guided {name} "
    "to a calmer place with a hand on their arm or back, without holding on, for {time}.",
    "{name} found the day very hard and was not safe for a short while. An adult walked "
    "beside {name} and guided them gently away from the others, without holding them, "
    "until {name} felt calmer.",
)
PARENT_SUMMARIES_NO_CONTACT: tuple[str, ...] = (
    "{name} became very upset today and tried to leave the classroom in a way that was not "
    "safe. Staff spoke calmly first. An adult then stood in the doorway to keep {name} safe, "
    "without touching them, for {time}, until {name} was calmer.",
)
PARENT_SUMMARIES_SECLUSION: tuple[str, ...] = (
    "{name} became very upset today and was not safe with other people nearby. To keep "
    "everyone safe, {name} spent a short time in a quiet room on their own, with an adult "
    "watching and talking to them through the open door, until they were calmer.",
)
HOW_NOW: tuple[str, ...] = (
    "{name} is calm now and went back to class.",
    "{name} was tired afterwards but settled well and ate lunch as usual.",
    "{name} is much calmer and has spent the afternoon with their key adult.",
    "{name} was quiet for a while, then joined in again and went home happy.",
    "{name} is settled now and chose to read in the library before going back to lessons.",
)

ACTIONS: tuple[tuple[str, str], ...] = (
    ("Review the behaviour support plan with {name}'s parents", "senco"),
    ("Meet parents to agree next steps", "dsl"),
    ("Refresher on de-escalation for the class team", "dsl"),
    ("Update {name}'s risk assessment for lunchtimes", "senco"),
    ("Ask the educational psychologist for advice", "senco"),
    ("Check the fence panel at the back of the field", "admin"),
)

AMEND_REASONS: dict[str, tuple[str, ...]] = {
    "parents": (
        "Added when parents were told: they were reached the next morning.",
        "Parents told the following day; record updated.",
    ),
    "debrief": ("Added the pupil's debrief, held the next morning.",),
    "end_time": (
        "Corrected the end time after checking with {adult}.",
        "The end time was typed wrongly; corrected.",
    ),
    "witness": ("Added a witness who came forward the next day.",),
    "action": ("Added the action agreed at the review meeting.",),
}
EXTRA_WITNESSES: tuple[str, ...] = (
    "A parent volunteer who was helping with reading",
    "A student teacher on placement",
    "The visiting music teacher",
    "The site manager, who was passing",
)

EXPLANATIONS: dict[str, tuple[str, ...]] = {
    "late_recording": (
        "I was on a school trip for the rest of the day and back after six; I recorded it first "
        "thing the next morning.",
        "It happened at the end of the day and I was running an after-school club; I recorded "
        "it as soon as I could the next morning.",
        "I went home unwell straight afterwards and recorded it on my return.",
    ),
    "parents_not_same_day": (
        "We could not reach a parent on the day despite three tries; I spoke to them at drop-off "
        "the next morning.",
        "The parent's phone was switched off that evening; the office reached them the next "
        "morning.",
    ),
    "floor_position": (
        "{name} dropped to the floor during a standing hold. Staff went down with them to a "
        "seated position and let go as soon as it was safe. The SENCO will review the plan so "
        "staff move to the calm room earlier.",
    ),
    "long_hold": (
        "{name} tried to run towards the road each time the hold was loosened. Staff swapped "
        "over and let go as soon as it was safe; the plan is being reviewed.",
    ),
    "injury": (
        "Told the designated safeguarding lead ({dsl}) at {time} the same day.",
        "I told {dsl} (safeguarding lead) in person at {time}.",
    ),
    "abc_restricted": (
        "Told the safeguarding lead ({dsl}) at once; the pupil was checked by a first aider and "
        "was well.",
    ),
    "no_plan": ("The SENCO has been asked to write a behaviour support plan this week.",),
}
GENERIC_EXPLANATION = "Discussed with {dsl}, who agreed the steps taken."

# How a floor position came about and ended, for each position (keyed by its value).
FLOOR_HOW: dict[str, tuple[str, ...]] = {
    "ground": (
        "{name} dropped to the floor while in a standing hold and staff went down with them "
        "to a seated position.",
        "{name} sat down suddenly during the hold; staff knelt beside them, still holding "
        "their arms.",
    ),
    "prone": (
        "{name} pulled away, tripped and fell face down; staff kept hold of their arms to stop "
        "them hitting their head on the radiator.",
    ),
    "supine": (
        "{name} slipped backwards during the hold and ended up lying on their back; staff "
        "kept hold of their arms so they did not bang their head.",
    ),
}
FLOOR_RELEASE: dict[str, tuple[str, ...]] = {
    "ground": (
        "Released as soon as {name} stopped kicking; staff moved back and gave space.",
        "Staff let go and helped {name} to sit up against the wall with a cushion.",
    ),
    "prone": ("Staff let go at once and helped {name} to turn over and sit up.",),
    "supine": ("Staff let go at once and helped {name} to sit up against the wall.",),
}
ABC_DETAILS: tuple[str, ...] = (
    "For a few seconds {name}'s face was pressed against a member of staff's sleeve; the hold "
    "was changed at once and {name} was breathing normally throughout.",
)
