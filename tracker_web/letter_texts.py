"""The words of the letters, per language: data only (see :mod:`tracker_web.letters`).

Each language has three variants (index 0 polite, 1 as a customer, 2 brief) of the
subject, greeting, reason and request, so that letters differ in more than the writer's
own sentence. ``{form}`` is the checked page as the object of "we checked …", in the case
that sentence needs; ``{what}`` is the request as an infinitive phrase that fits every
request template of the language.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "kinds": {"signup": "the sign-up form", "checkout": "the checkout",
                  "shipping": "the shipping form", "phone": "the phone number form",
                  "profile": "the profile form", "other": "the form"},
        "subject": ("A request about Kosovo in the country list of {site}",
                    "As a customer: Kosovo on {site}", "{site}: Kosovo (XK, +383)"),
        "greeting": ("Dear {company} team,", "Hello {company},", "Hello,"),
        "fact": {
            "missing": "On {date} we checked {form} at {url}: its country list offers "
                       "{count} countries and territories, but not Kosovo.",
            "partial": "On {date} we checked {site}: some of its country lists include "
                       "Kosovo, but not the one at {url}.",
            "listed_qualified": "On {date} we checked {form} at {url}: it lists Kosovo only "
                                "as \"{qualifier}\", under another state.",
            "wrong_code": "On {date} we checked {form} at {url}: it offers Kosovo with the "
                          "dialling code {code} instead of +383.",
        },
        "gap": "Kosovo would stand between {before} and {after}.",
        "why": ("Kosovo has its own country code, XK, used by the EU, banks and the big "
                "platforms, and since 2017 its own international dialling code, +383. When "
                "it is missing, people who live in Kosovo, and its diaspora, cannot give "
                "their real country: many give up, others have to pretend to live somewhere "
                "else.",
                "I use your services. For people from Kosovo, a country list without Kosovo "
                "means choosing another country, or not being able to sign up or pay at "
                "all.",
                None),
        "what": {"add": "add Kosovo (code XK) to the country list",
                 "rename": "list Kosovo under its own name, simply \"Kosovo\"",
                 "code": "give Kosovo its own dialling code, +383"},
        "ask": ("Could you please {what}?", "I am asking you to {what}.", "Please {what}."),
        "fix": "A hint for your developers: {fix}",
        "evidence": "What we saw, with a screenshot and the whole list: {url}",
        "close": ("Thank you for your time.\nKind regards,", "Thank you,", "Best regards,"),
        "post": {"add": "{site} still leaves Kosovo out of a country list (checked {date}). "
                        "Evidence: {url} #Kosovo #XK",
                 "rename": "{site} lists Kosovo only as \"{qualifier}\" (checked {date}). "
                           "Evidence: {url} #Kosovo #XK",
                 "code": "{site} gives Kosovo the dialling code {code} instead of +383 "
                         "(checked {date}). Evidence: {url} #Kosovo #XK"},
    },
    "sq": {
        "kinds": {"signup": "formularin e regjistrimit", "checkout": "faqen e pagesës",
                  "shipping": "formularin e dërgesës",
                  "phone": "formularin e numrit të telefonit",
                  "profile": "formularin e profilit", "other": "formularin"},
        "subject": ("Një kërkesë për Kosovën në listën e shteteve të {site}",
                    "Si klient: Kosova në {site}", "{site}: Kosova (XK, +383)"),
        "greeting": ("I nderuar ekip i {company},", "Përshëndetje {company},",
                     "Përshëndetje,"),
        "fact": {
            "missing": "Më {date} kontrolluam {form} në {url}: lista e shteteve ofron "
                       "{count} shtete dhe territore, por jo Kosovën.",
            "partial": "Më {date} kontrolluam {site}: disa nga listat e shteteve e kanë "
                       "Kosovën, por jo ajo në {url}.",
            "listed_qualified": "Më {date} kontrolluam {form} në {url}: Kosova shfaqet vetëm "
                                "si \"{qualifier}\", nën një shtet tjetër.",
            "wrong_code": "Më {date} kontrolluam {form} në {url}: Kosova ofrohet me "
                          "prefiksin telefonik {code} në vend të +383.",
        },
        "gap": "Kosova do të ishte midis {before} dhe {after}.",
        "why": ("Kosova ka kodin e vet të shtetit, XK, që e përdorin BE-ja, bankat dhe "
                "platformat e mëdha, dhe që nga viti 2017 prefiksin e vet telefonik "
                "ndërkombëtar, +383. Kur mungon, njerëzit që jetojnë në Kosovë dhe diaspora "
                "nuk mund të zgjedhin shtetin e tyre të vërtetë: shumë heqin dorë, të tjerët "
                "duhet të bëjnë sikur jetojnë diku tjetër.",
                "Unë i përdor shërbimet tuaja. Për njerëzit nga Kosova, një listë shtetesh "
                "pa Kosovën do të thotë të zgjedhin një shtet tjetër, ose të mos mund të "
                "regjistrohen apo të paguajnë fare.",
                None),
        "what": {"add": "shtoni Kosovën (kodi XK) në listën e shteteve",
                 "rename": "e shfaqni Kosovën me emrin e vet, thjesht \"Kosova\"",
                 "code": "i jepni Kosovës prefiksin e vet telefonik, +383"},
        "ask": ("A mund të {what}, ju lutem?", "Ju kërkoj të {what}.",
                "Ju lutem të {what}."),
        "fix": "Një këshillë për zhvilluesit tuaj (në anglisht): {fix}",
        "evidence": "Çfarë pamë, me një pamje të ekranit dhe listën e plotë: {url}",
        "close": ("Faleminderit për kohën tuaj.\nMe respekt,", "Faleminderit,",
                  "Me përshëndetje,"),
        "post": {"add": "{site} ende e lë Kosovën jashtë një liste shtetesh (kontrolluar më "
                        "{date}). Dëshmia: {url} #Kosova #XK",
                 "rename": "{site} e shfaq Kosovën vetëm si \"{qualifier}\" (kontrolluar më "
                           "{date}). Dëshmia: {url} #Kosova #XK",
                 "code": "{site} i jep Kosovës prefiksin {code} në vend të +383 "
                         "(kontrolluar më {date}). Dëshmia: {url} #Kosova #XK"},
    },
    "sr_Latn": {
        "kinds": {"signup": "formular za registraciju", "checkout": "stranicu za plaćanje",
                  "shipping": "formular za dostavu", "phone": "formular za broj telefona",
                  "profile": "formular profila", "other": "formular"},
        "subject": ("Molba u vezi sa Kosovom na listi zemalja sajta {site}",
                    "Kao korisnik: Kosovo na sajtu {site}", "{site}: Kosovo (XK, +383)"),
        "greeting": ("Poštovani tim kompanije {company},", "Zdravo, {company},",
                     "Poštovani,"),
        "fact": {
            "missing": "Dana {date} proverili smo {form} na adresi {url}: lista zemalja nudi "
                       "{count} zemalja i teritorija, ali ne i Kosovo.",
            "partial": "Dana {date} proverili smo {site}: neke liste zemalja sadrže Kosovo, "
                       "ali ne i lista na adresi {url}.",
            "listed_qualified": "Dana {date} proverili smo {form} na adresi {url}: Kosovo je "
                                "navedeno samo kao „{qualifier}”, u okviru druge države.",
            "wrong_code": "Dana {date} proverili smo {form} na adresi {url}: za Kosovo se "
                          "nudi pozivni broj {code} umesto +383.",
        },
        "gap": "Kosovo bi stajalo između {before} i {after}.",
        "why": ("Kosovo ima sopstveni kod zemlje, XK, koji koriste EU, banke i velike "
                "platforme, a od 2017. i sopstveni međunarodni pozivni broj, +383. Kada ga "
                "nema, ljudi koji žive na Kosovu i dijaspora ne mogu da izaberu svoju stvarnu "
                "zemlju: mnogi odustanu, a drugi moraju da se prave da žive negde drugde.",
                "Koristim vaše usluge. Za ljude sa Kosova lista zemalja bez Kosova znači da "
                "moraju da izaberu drugu zemlju ili da uopšte ne mogu da se registruju ili "
                "plate.",
                None),
        "what": {"add": "dodate Kosovo (kod XK) na listu zemalja",
                 "rename": "navedete Kosovo pod sopstvenim imenom, jednostavno „Kosovo”",
                 "code": "Kosovu date sopstveni pozivni broj, +383"},
        "ask": ("Da li biste mogli da {what}?", "Kao vaš korisnik, molim vas da {what}.",
                "Molim vas da {what}."),
        "fix": "Savet za vaše programere (na engleskom): {fix}",
        "evidence": "Šta smo videli, sa snimkom ekrana i celom listom: {url}",
        "close": ("Hvala vam na vremenu.\nSrdačan pozdrav,", "Hvala,", "Pozdrav,"),
        "post": {"add": "{site} i dalje izostavlja Kosovo sa liste zemalja (provereno "
                        "{date}). Dokaz: {url} #Kosovo #XK",
                 "rename": "{site} navodi Kosovo samo kao „{qualifier}” (provereno {date}). "
                           "Dokaz: {url} #Kosovo #XK",
                 "code": "{site} daje Kosovu pozivni broj {code} umesto +383 (provereno "
                         "{date}). Dokaz: {url} #Kosovo #XK"},
    },
    "de": {
        "kinds": {"signup": "das Registrierungsformular", "checkout": "den Bestellvorgang",
                  "shipping": "das Versandformular",
                  "phone": "das Formular für die Telefonnummer",
                  "profile": "das Profilformular", "other": "das Formular"},
        "subject": ("Eine Bitte zu Kosovo in der Länderliste von {site}",
                    "Als Kundin oder Kunde: Kosovo bei {site}", "{site}: Kosovo (XK, +383)"),
        "greeting": ("Sehr geehrtes Team von {company},", "Hallo {company},", "Guten Tag,"),
        "fact": {
            "missing": "Am {date} haben wir {form} unter {url} geprüft: Die Länderliste "
                       "bietet {count} Länder und Gebiete an, aber nicht Kosovo.",
            "partial": "Am {date} haben wir {site} geprüft: Einige Länderlisten enthalten "
                       "Kosovo, die unter {url} aber nicht.",
            "listed_qualified": "Am {date} haben wir {form} unter {url} geprüft: Kosovo "
                                "erscheint dort nur als „{qualifier}“, also unter einem "
                                "anderen Staat.",
            "wrong_code": "Am {date} haben wir {form} unter {url} geprüft: Für Kosovo wird "
                          "die Vorwahl {code} statt +383 angeboten.",
        },
        "gap": "Kosovo stünde zwischen {before} und {after}.",
        "why": ("Kosovo hat einen eigenen Ländercode, XK, den die EU, Banken und große "
                "Plattformen verwenden, und seit 2017 eine eigene internationale Vorwahl, "
                "+383. Fehlt Kosovo, können Menschen, die dort leben, und die Diaspora ihr "
                "wirkliches Land nicht angeben: Viele geben auf, andere müssen so tun, als "
                "lebten sie anderswo.",
                "Ich nutze Ihre Dienste. Für Menschen aus Kosovo bedeutet eine Länderliste "
                "ohne Kosovo, ein anderes Land wählen zu müssen oder sich gar nicht "
                "registrieren oder bezahlen zu können.",
                None),
        "what": {"add": "Kosovo (Code XK) in die Länderliste aufnehmen",
                 "rename": "Kosovo unter seinem eigenen Namen führen, einfach „Kosovo“",
                 "code": "Kosovo seine eigene Vorwahl +383 geben"},
        "ask": ("Könnten Sie bitte {what}?", "Als Kundin oder Kunde frage ich: Würden Sie "
                "{what}?", "Würden Sie bitte {what}?"),
        "fix": "Ein Hinweis für Ihre Entwickler (auf Englisch): {fix}",
        "evidence": "Was wir gesehen haben, mit Bildschirmfoto und der ganzen Liste: {url}",
        "close": ("Vielen Dank für Ihre Zeit.\nMit freundlichen Grüßen", "Vielen Dank",
                  "Beste Grüße"),
        "post": {"add": "{site} lässt Kosovo immer noch in einer Länderliste aus (geprüft am "
                        "{date}). Beleg: {url} #Kosovo #XK",
                 "rename": "{site} führt Kosovo nur als „{qualifier}“ (geprüft am {date}). "
                           "Beleg: {url} #Kosovo #XK",
                 "code": "{site} gibt Kosovo die Vorwahl {code} statt +383 (geprüft am "
                         "{date}). Beleg: {url} #Kosovo #XK"},
    },
    "fr": {
        "kinds": {"signup": "le formulaire d’inscription", "checkout": "la page de paiement",
                  "shipping": "le formulaire de livraison",
                  "phone": "le formulaire de numéro de téléphone",
                  "profile": "le formulaire de profil", "other": "le formulaire"},
        "subject": ("Une demande concernant le Kosovo dans la liste des pays de {site}",
                    "En tant que client·e : le Kosovo sur {site}",
                    "{site} : Kosovo (XK, +383)"),
        "greeting": ("Chère équipe de {company},", "Bonjour {company},", "Bonjour,"),
        "fact": {
            "missing": "Le {date}, nous avons vérifié {form} à l’adresse {url} : la liste "
                       "des pays propose {count} pays et territoires, mais pas le Kosovo.",
            "partial": "Le {date}, nous avons vérifié {site} : certaines listes de pays "
                       "contiennent le Kosovo, mais pas celle de {url}.",
            "listed_qualified": "Le {date}, nous avons vérifié {form} à l’adresse {url} : le "
                                "Kosovo n’y figure que sous la forme « {qualifier} », "
                                "rattaché à un autre État.",
            "wrong_code": "Le {date}, nous avons vérifié {form} à l’adresse {url} : le "
                          "Kosovo y est proposé avec l’indicatif {code} au lieu de +383.",
        },
        "gap": "Il se trouverait entre {before} et {after}.",
        "why": ("Le Kosovo a son propre code pays, XK, utilisé par l’UE, les banques et les "
                "grandes plateformes, et depuis 2017 son propre indicatif téléphonique "
                "international, +383. Quand il manque, les personnes qui vivent au Kosovo et "
                "la diaspora ne peuvent pas indiquer leur vrai pays : beaucoup abandonnent, "
                "d’autres doivent faire comme si elles vivaient ailleurs.",
                "J’utilise vos services. Pour les personnes du Kosovo, une liste de pays "
                "sans le Kosovo signifie choisir un autre pays, ou ne pas pouvoir s’inscrire "
                "ni payer du tout.",
                None),
        "what": {"add": "ajouter le Kosovo (code XK) à la liste des pays",
                 "rename": "indiquer le Kosovo sous son propre nom, simplement « Kosovo »",
                 "code": "donner au Kosovo son propre indicatif, +383"},
        "ask": ("Pourriez-vous {what} ?", "Je vous demande de bien vouloir {what}.",
                "Merci de {what}."),
        "fix": "Une indication pour vos développeurs (en anglais) : {fix}",
        "evidence": "Ce que nous avons vu, avec une capture d’écran et la liste complète : "
                    "{url}",
        "close": ("Merci pour votre temps.\nCordialement,", "Merci,", "Bien à vous,"),
        "post": {"add": "{site} laisse encore le Kosovo hors d’une liste de pays (vérifié le "
                        "{date}). Preuve : {url} #Kosovo #XK",
                 "rename": "{site} ne mentionne le Kosovo que comme « {qualifier} » (vérifié "
                           "le {date}). Preuve : {url} #Kosovo #XK",
                 "code": "{site} donne au Kosovo l’indicatif {code} au lieu de +383 (vérifié "
                         "le {date}). Preuve : {url} #Kosovo #XK"},
    },
    "it": {
        "kinds": {"signup": "il modulo di registrazione", "checkout": "la pagina di pagamento",
                  "shipping": "il modulo di spedizione",
                  "phone": "il modulo del numero di telefono",
                  "profile": "il modulo del profilo", "other": "il modulo"},
        "subject": ("Una richiesta sul Kosovo nell’elenco dei paesi di {site}",
                    "Da cliente: il Kosovo su {site}", "{site}: Kosovo (XK, +383)"),
        "greeting": ("Gentile team di {company},", "Buongiorno {company},", "Buongiorno,"),
        "fact": {
            "missing": "Il {date} abbiamo controllato {form} all’indirizzo {url}: l’elenco "
                       "dei paesi offre {count} paesi e territori, ma non il Kosovo.",
            "partial": "Il {date} abbiamo controllato {site}: alcuni elenchi di paesi "
                       "includono il Kosovo, ma non quello all’indirizzo {url}.",
            "listed_qualified": "Il {date} abbiamo controllato {form} all’indirizzo {url}: "
                                "il Kosovo compare solo come «{qualifier}», sotto un altro "
                                "Stato.",
            "wrong_code": "Il {date} abbiamo controllato {form} all’indirizzo {url}: per il "
                          "Kosovo viene proposto il prefisso {code} invece di +383.",
        },
        "gap": "Il Kosovo si troverebbe tra {before} e {after}.",
        "why": ("Il Kosovo ha un proprio codice paese, XK, usato dall’UE, dalle banche e dalle "
                "grandi piattaforme, e dal 2017 un proprio prefisso telefonico "
                "internazionale, +383. Quando manca, le persone che vivono in Kosovo e la "
                "diaspora non possono indicare il loro vero paese: molti rinunciano, altri "
                "devono fingere di vivere altrove.",
                "Uso i vostri servizi. Per le persone del Kosovo, un elenco di paesi senza il "
                "Kosovo significa dover scegliere un altro paese, oppure non potersi "
                "registrare o pagare affatto.",
                None),
        "what": {"add": "aggiungere il Kosovo (codice XK) all’elenco dei paesi",
                 "rename": "indicare il Kosovo con il suo nome, semplicemente «Kosovo»",
                 "code": "dare al Kosovo il suo prefisso, +383"},
        "ask": ("Potreste {what}?", "Vi chiedo di {what}.", "Vi prego di {what}."),
        "fix": "Un suggerimento per i vostri sviluppatori (in inglese): {fix}",
        "evidence": "Quello che abbiamo visto, con uno screenshot e l’elenco completo: {url}",
        "close": ("Grazie per il vostro tempo.\nCordiali saluti,", "Grazie,", "Saluti,"),
        "post": {"add": "{site} esclude ancora il Kosovo da un elenco di paesi (controllato "
                        "il {date}). Prova: {url} #Kosovo #XK",
                 "rename": "{site} indica il Kosovo solo come «{qualifier}» (controllato il "
                           "{date}). Prova: {url} #Kosovo #XK",
                 "code": "{site} dà al Kosovo il prefisso {code} invece di +383 (controllato "
                         "il {date}). Prova: {url} #Kosovo #XK"},
    },
    "sv": {
        "kinds": {"signup": "registreringsformuläret", "checkout": "kassan",
                  "shipping": "leveransformuläret", "phone": "formuläret för telefonnummer",
                  "profile": "profilformuläret", "other": "formuläret"},
        "subject": ("En begäran om Kosovo i landslistan på {site}", "Som kund: Kosovo på "
                    "{site}", "{site}: Kosovo (XK, +383)"),
        "greeting": ("Till {company},", "Hej {company},", "Hej,"),
        "fact": {
            "missing": "Den {date} kontrollerade vi {form} på {url}: landslistan erbjuder "
                       "{count} länder och territorier, men inte Kosovo.",
            "partial": "Den {date} kontrollerade vi {site}: några landslistor har Kosovo, men "
                       "inte den på {url}.",
            "listed_qualified": "Den {date} kontrollerade vi {form} på {url}: Kosovo finns "
                                "bara med som ”{qualifier}”, under en annan stat.",
            "wrong_code": "Den {date} kontrollerade vi {form} på {url}: Kosovo erbjuds med "
                          "landsnumret {code} i stället för +383.",
        },
        "gap": "Kosovo skulle stå mellan {before} och {after}.",
        "why": ("Kosovo har en egen landskod, XK, som används av EU, banker och stora "
                "plattformar, och sedan 2017 ett eget landsnummer för telefon, +383. När "
                "Kosovo saknas kan människor som bor där, och diasporan, inte ange sitt "
                "verkliga land: många ger upp, andra måste låtsas bo någon annanstans.",
                "Jag använder era tjänster. För människor från Kosovo innebär en landslista "
                "utan Kosovo att de måste välja ett annat land, eller inte kan registrera sig "
                "eller betala alls.",
                None),
        "what": {"add": "lägga till Kosovo (kod XK) i landslistan",
                 "rename": "ange Kosovo under sitt eget namn, helt enkelt ”Kosovo”",
                 "code": "ge Kosovo sitt eget landsnummer, +383"},
        "ask": ("Kan ni {what}?", "Jag ber er att {what}.", "Jag hoppas att ni vill {what}."),
        "fix": "Ett tips till era utvecklare (på engelska): {fix}",
        "evidence": "Det vi såg, med en skärmbild och hela listan: {url}",
        "close": ("Tack för er tid.\nVänliga hälsningar", "Tack!", "Hälsningar"),
        "post": {"add": "{site} utelämnar fortfarande Kosovo ur en landslista (kontrollerat "
                        "{date}). Belägg: {url} #Kosovo #XK",
                 "rename": "{site} anger Kosovo bara som ”{qualifier}” (kontrollerat {date}). "
                           "Belägg: {url} #Kosovo #XK",
                 "code": "{site} ger Kosovo landsnumret {code} i stället för +383 "
                         "(kontrollerat {date}). Belägg: {url} #Kosovo #XK"},
    },
}

# To the maintainers of a library whose default list lacks Kosovo: in English, the working
# language of most issue trackers.
UPSTREAM_MESSAGE = (
    "Hello,\n\n"
    "the default country list of {platform} does not include Kosovo. Kosovo uses the code XK "
    "(a user-assigned ISO 3166 code that the European Commission, SWIFT, Unicode CLDR and "
    "libphonenumber use), and +383 as its dialling code since 2017. {sites} sites we track "
    "appear to ship your list unchanged, so people who live in Kosovo cannot choose their "
    "country there.\n\n"
    "Could you add Kosovo (XK) to the default list, or document how to add it?\n\n"
    "{fix}"
    "Thank you for your work on {platform}."
)
