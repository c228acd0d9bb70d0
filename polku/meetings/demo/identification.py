"""A year of the Victim Identification Working Group's meetings."""

from polku.meetings.choices import (
    ActionStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.demo.plans import (
    BORDER_FLAG,
    IDENTIFICATION,
    SOCIAL_WORKERS,
    Action,
    Comment,
    DemoMeeting,
    Item,
    Note,
    Revision,
)

IDENTIFICATION_MEETINGS = (
    DemoMeeting(
        IDENTIFICATION,
        -45,
        "Terms of reference and indicators",
        (
            Item(
                "Terms of reference and work plan",
                "The chair presented the terms of reference.",
                decision="The working group adopted its work plan.",
                duration=15,
            ),
            Item(
                "Indicators of trafficking used by the authorities",
                "Members compared the indicator lists used by the police, the Border Guard, the "
                "assistance system and social services. The lists overlap but differ in wording "
                "and in what they ask the worker to do next.",
                decision="The working group prepares one list of indicators for all first "
                "responders.",
                actions=(
                    Action(
                        "Combine the indicator lists into one draft",
                        "r.koivisto",
                        60,
                        deputy="n.salo",
                        notes=(
                            Note(
                                30,
                                "A draft combining the four lists is with the members.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(55, "Draft list ready for comments.", ActionStatus.DONE),
                        ),
                    ),
                ),
                duration=60,
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -39,
        "Identification at the border",
        (
            Item(
                "Identification at border crossing points",
                "The Border Guard described how officers recognise possible victims among "
                "arriving passengers, and the limits of what they may ask.",
                proposer="v.peltonen",
            ),
            Item(
                "Referrals to the assistance system by authority",
                "Of last year's referrals, most came from NGOs, the police and the Finnish "
                "Immigration Service; very few came from health care and social services.",
                decision="The working group turns next to social and health services.",
            ),
        ),
        where="online",
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -32,
        "Children forced to commit crimes",
        (
            Item(
                "Children forced to commit crimes",
                "Child welfare workers see young people used in drug dealing and thefts but "
                "treat them as offenders. Members discussed when a child welfare worker should "
                "consider trafficking.",
                decision=(
                    "The working group asks the Ministry of Social Affairs and Health to include "
                    "trafficking in the guidance on child welfare."
                ),
                actions=(
                    Action(
                        "Propose a section on trafficking for the guidance on child welfare",
                        "secretariat2",
                        90,
                        deputy="r.koivisto",
                        notes=(
                            Note(
                                60,
                                "Section drafted with the Finnish Institute for Health and "
                                "Welfare.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            Note(150, "Section included in the guidance.", ActionStatus.DONE),
                        ),
                    ),
                ),
                proposer="n.salo",
                duration=60,
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -26,
        "Interpreting at night",
        (
            Item(
                "Interpreting at night for presumed victims",
                "Victims identified at night wait until morning for an interpreter. The "
                "assistance system is buying telephone interpreting around the clock in the "
                "languages most needed.",
                actions=(
                    Action(
                        "Report on the purchase of interpreting at night",
                        "r.koivisto",
                        60,
                        notes=(
                            Note(
                                45,
                                "Contract signed; the service starts within three months.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
            Item(
                "The combined indicator list: comments",
                "Members' comments were gone through. The list is clearer for social workers "
                "than the earlier ones.",
                decision=(
                    "The list is tried in the social services of three wellbeing services counties."
                ),
                actions=(
                    Action(
                        "Try the indicator list in Pirkanmaa's social services and report",
                        "n.salo",
                        120,
                        deputy="r.koivisto",
                        notes=(
                            Note(60, "In use in two units.", ActionStatus.IN_PROGRESS),
                            Note(
                                115,
                                "Report sent: the list is clear; the part on children needs "
                                "more examples.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        where="online",
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -19,
        "Referral without a crime report",
        (
            Item(
                "Referral to the assistance system without a crime report",
                "Practice varies by region: in some regions social workers wait for a police "
                "report before referring. Members agreed that the referral guideline must say "
                "clearly that no report is needed.",
                decision="The working group comments on the secretariat's draft referral "
                "guideline.",
                actions=(
                    Action(
                        "Collect the NGOs' comments on the referral guideline",
                        "ngo",
                        21,
                        deputy="n.salo",
                        notes=(Note(20, "Comments from four NGOs sent.", ActionStatus.DONE),),
                    ),
                ),
                duration=45,
            ),
        ),
        audience=MinutesAudience.BODY,
        comments=(
            Comment(
                4,
                "ngo",
                "Item 3: please add that victims are often referred by NGOs at night and at "
                "weekends, when social services are closed.",
            ),
        ),
        revisions=(
            Revision(
                11,
                "r.koivisto",
                "Comment on referrals by NGOs included",
                (
                    (
                        "wait for a police report before referring.",
                        "wait for a police report before referring. NGOs refer many victims at "
                        "night and at weekends, when social services are closed.",
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        IDENTIFICATION,
        -13,
        "Training and a checklist",
        (
            Item(
                "Refresher training for border guards",
                "Officers trained years ago have had no refresher training. The Border Guard "
                "includes trafficking in its annual training programme, with material from the "
                "assistance system.",
                decision="The assistance system and the Border Guard prepare the material "
                "together.",
                actions=(
                    Action(
                        "Prepare the refresher training material with the assistance system",
                        "v.peltonen",
                        60,
                        deputy="r.koivisto",
                        notes=(Note(40, "Material half-way.", ActionStatus.IN_PROGRESS),),
                    ),
                ),
                proposer="v.peltonen",
            ),
            Item(
                "A checklist for social workers",
                "Social workers asked for a one-page checklist of the signs of trafficking and "
                "of when to contact the assistance system.",
                actions=(
                    Action(
                        "Draft a one-page checklist for social workers",
                        "n.salo",
                        45,
                        notes=(
                            Note(
                                20, "First version tried with colleagues.", ActionStatus.IN_PROGRESS
                            ),
                            Note(
                                50,
                                "Checklist ready; it goes with the indicator list.",
                                ActionStatus.DONE,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        -6,
        "Forced marriage",
        (
            Item(
                "Shelter places for victims of forced marriage",
                "Shelters are often full and do not always understand pressure from the family. "
                "Young women go back home because there is nowhere else to go.",
                decision=(
                    "The working group asks the Ministry of Social Affairs and Health to survey "
                    "the shelters' expertise on forced marriage."
                ),
                actions=(
                    Action(
                        "Survey the shelters' expertise on forced marriage",
                        "secretariat2",
                        60,
                        deputy="j.rantanen",
                        notes=(
                            Note(
                                30, "Questionnaire sent to every shelter.", ActionStatus.IN_PROGRESS
                            ),
                        ),
                    ),
                ),
                duration=45,
            ),
            Item(
                "Interpreting at night: the first experience",
                "The telephone interpreting service has been used twelve times at night, mostly "
                "in Vietnamese.",
            ),
        ),
        audience=MinutesAudience.BODY,
    ),
    DemoMeeting(
        IDENTIFICATION,
        0,
        "Flagging suspected victims at the border",
        (
            Item(
                "Flagging a suspected victim to the next border crossing point (challenge)",
                "The challenge, raised by a border guard inspector, asks for a lawful way to ask "
                "colleagues at the next crossing point to pay attention to a person who may be a "
                "victim. Members discussed what the law on the Border Guard and data protection "
                "allow. The discussion continues at the next meeting.",
                actions=(
                    Action(
                        "Ask the Border Guard's legal unit what may be passed to the next "
                        "crossing point",
                        "v.peltonen",
                        35,
                    ),
                ),
                challenge=BORDER_FLAG,
                duration=40,
            ),
            Item(
                "The indicator list after the trial",
                "The trial in three counties went well; the part on children needs more examples.",
                decision=(
                    "The working group approves the indicator list once the examples on children "
                    "are added, and sends it to the secretariat."
                ),
                actions=(
                    Action(
                        "Add the examples on children and send the list to the secretariat",
                        "r.koivisto",
                        40,
                        notes=(
                            Note(
                                10,
                                "Examples added; comments from child welfare awaited.",
                                ActionStatus.IN_PROGRESS,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        minutes=MinutesStatus.DRAFT,
        revisions=(
            Revision(
                19,
                "r.koivisto",
                "Item 3 completed",
                (
                    (
                        "The discussion continues at the next meeting.",
                        "The Border Guard asks its legal unit for an opinion before the next "
                        "meeting, where the discussion continues.",
                    ),
                ),
            ),
        ),
    ),
    DemoMeeting(
        IDENTIFICATION,
        6,
        "Border flags and social workers",
        (
            Item(
                "Flagging a suspected victim to the next border crossing point (continued)",
                description="The Border Guard reports its legal unit's opinion.",
                challenge=BORDER_FLAG,
                duration=30,
            ),
            Item(
                "When should social workers contact the assistance system? (challenge)",
                description=(
                    "Social workers lack a simple checklist of the signs of trafficking and of "
                    "when and how to refer a person. The working group's checklist is ready."
                ),
                challenge=SOCIAL_WORKERS,
            ),
            Item(
                "Children who go missing from reception centres",
                description="Proposal to hear the Finnish Immigration Service on what is done "
                "when an unaccompanied child disappears.",
                proposer="n.salo",
                pending=True,
            ),
        ),
        minutes="",
    ),
)
