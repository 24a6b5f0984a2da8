"""Dutch texts of known difficulty, written for these tests."""

# Children's book style: short sentences, short everyday words.
EASY = (
    "Tim heeft een hond. De hond heet Bas. Bas is groot en bruin. Elke dag gaan ze samen naar "
    "het park. Daar rent Bas achter een bal aan. Tim lacht hard. Dan gaan ze weer naar huis. "
    "Mama heeft thee gezet. Bas krijgt een koekje. Hij is blij en gaat slapen."
)

# A municipal letter in plain language (B1): sentences of about ten words, everyday words and
# some longer ones.
B1 = (
    "De gemeente wil dat meer inwoners hun huis beter isoleren. Daarom krijgen huiseigenaren "
    "dit jaar een tegemoetkoming voor isolatie van de vloer of het dak. De regeling geldt voor "
    "woningen die voor 1990 zijn gebouwd. U vraagt de bijdrage aan via de website van de "
    "gemeente. Daarvoor heeft u een offerte van een erkend bedrijf nodig. Binnen acht weken "
    "hoort u of u de bijdrage krijgt. Heeft u hulp nodig bij het aanvragen? Dan kunt u terecht "
    "bij het energieloket in de bibliotheek. Medewerkers helpen u graag met het invullen van "
    "het formulier."
)

# A paragraph in the style of a municipal subsidy regulation.
HARD = (
    "Onverminderd het bepaalde in artikel 4 van de Algemene Subsidieverordening is het college "
    "van burgemeester en wethouders bevoegd om, teneinde de continuïteit van de "
    "dienstverlening te waarborgen, aanvullende voorwaarden te verbinden aan de verlening van "
    "een subsidie ten behoeve van activiteiten die gericht zijn op de bevordering van de "
    "maatschappelijke participatie van inwoners. Een aanvraag tot vaststelling van de subsidie "
    "wordt door de aanvrager uiterlijk dertien weken na afloop van de subsidiabele periode "
    "ingediend, onder overlegging van een inhoudelijk verslag en een financiële verantwoording "
    "conform de door het college vastgestelde richtlijnen. Indien de aanvrager niet tijdig aan "
    "deze verplichting voldoet, kan het college de subsidie ambtshalve vaststellen, waarbij de "
    "hoogte van het bedrag wordt bepaald op basis van de gegevens waarover het college op dat "
    "moment beschikt."
)
