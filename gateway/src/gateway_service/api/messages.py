"""The sign-in pages' words in French and English (the programme's working language first)."""

from __future__ import annotations

from collections.abc import Callable

from gateway_service.api.dashboard_codes import CODES_EN, CODES_FR
from gateway_service.api.dashboard_messages import DASHBOARD_EN, DASHBOARD_FR

_FR = {
    "platform": "Plateforme HOPE",
    "sign_in": "Se connecter",
    "email": "Adresse électronique",
    "password": "Mot de passe",
    "sign_in_failed": "Connexion refusée : vérifiez l'adresse et le mot de passe. Après plusieurs échecs, le compte "
    "est bloqué pendant un moment.",
    "too_many_attempts": "Trop de tentatives depuis cette adresse. Réessayez dans quelques minutes.",
    "second_factor": "Code de vérification",
    "second_factor_help": "Saisissez le code à six chiffres affiché par votre application d'authentification.",
    "second_factor_failed": "Code refusé. Réessayez avec le code affiché maintenant.",
    "code": "Code",
    "verify": "Vérifier",
    "setup": "Configurer la vérification en deux étapes",
    "setup_help": "Votre rôle exige un second facteur. Ajoutez ce compte dans une application d'authentification "
    "(TOTP), avec la clé ci-dessous ou le lien otpauth, puis saisissez le code qu'elle affiche.",
    "secret_key": "Clé",
    "setup_link": "Ouvrir dans l'application d'authentification",
    "invitation": "Choisir votre mot de passe",
    "invitation_help": "Au moins 12 caractères. Une phrase de plusieurs mots est plus facile à retenir et plus sûre.",
    "new_password": "Nouveau mot de passe",
    "confirm_password": "Confirmer le mot de passe",
    "set_password": "Enregistrer le mot de passe",
    "passwords_differ": "Les deux mots de passe ne sont pas identiques.",
    "invitation_invalid": "Ce lien d'invitation n'est plus valable (déjà utilisé, remplacé ou expiré). Demandez-en "
    "un nouveau à l'administrateur de votre organisation.",
    "too_short": "Le mot de passe doit compter au moins 12 caractères.",
    "too_long": "Le mot de passe doit compter au plus 128 caractères.",
    "too_common": "Ce mot de passe est trop courant.",
    "contains_email": "Le mot de passe ne doit pas contenir votre adresse électronique.",
    "too_few_characters": "Le mot de passe répète trop peu de caractères différents.",
    "password_set": "Votre mot de passe est enregistré. Connectez-vous.",
    "signed_out": "Vous êtes déconnecté.",
    "session_ended": "Votre session a pris fin. Connectez-vous de nouveau.",
    "signed_in_as": "Connecté en tant que",
    "organisation": "Organisation",
    "roles": "Rôles",
    "sign_out": "Se déconnecter",
    "language": "Langue",
    "change_language": "Changer",
}

_EN = {
    "platform": "HOPE platform",
    "sign_in": "Sign in",
    "email": "Email address",
    "password": "Password",
    "sign_in_failed": "Sign-in refused: check the address and the password. After several failures the account is "
    "locked for a while.",
    "too_many_attempts": "Too many attempts from this address. Try again in a few minutes.",
    "second_factor": "Verification code",
    "second_factor_help": "Enter the six-digit code your authenticator app shows.",
    "second_factor_failed": "Code refused. Try again with the code shown now.",
    "code": "Code",
    "verify": "Verify",
    "setup": "Set up two-step verification",
    "setup_help": "Your role needs a second factor. Add this account to an authenticator app (TOTP) with the key "
    "below or the otpauth link, then enter the code it shows.",
    "secret_key": "Key",
    "setup_link": "Open in the authenticator app",
    "invitation": "Choose your password",
    "invitation_help": "At least 12 characters. A phrase of several words is easier to remember and safer.",
    "new_password": "New password",
    "confirm_password": "Confirm the password",
    "set_password": "Save the password",
    "passwords_differ": "The two passwords are not the same.",
    "invitation_invalid": "This invitation link is no longer valid (used, replaced or expired). Ask your "
    "organisation's admin for a new one.",
    "too_short": "The password must have at least 12 characters.",
    "too_long": "The password must have at most 128 characters.",
    "too_common": "This password is too common.",
    "contains_email": "The password must not contain your email address.",
    "too_few_characters": "The password uses too few different characters.",
    "password_set": "Your password is saved. Sign in.",
    "signed_out": "You are signed out.",
    "session_ended": "Your session ended. Sign in again.",
    "signed_in_as": "Signed in as",
    "organisation": "Organisation",
    "roles": "Roles",
    "sign_out": "Sign out",
    "language": "Language",
    "change_language": "Change",
}

MESSAGES = {"fr": _FR | DASHBOARD_FR | CODES_FR, "en": _EN | DASHBOARD_EN | CODES_EN}


def translator(lang: str) -> Callable[[str], str]:
    words = MESSAGES.get(lang, _FR)
    # A key missing from a catalogue shows itself rather than break the page; a unit test keeps both complete.
    return lambda key: words.get(key, key)
