from .models import Role
from .selectors import can_manage_users, role_assignments_of


def roles(request):
    """Role flags for the navigation of base.html; evaluated lazily per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "nav": {}}
    assignments = role_assignments_of(user)
    held = {a.role for a in assignments}
    return {
        "user_roles": assignments,
        "nav": {
            "manage_users": can_manage_users(user),
            "bappeda": Role.BAPPEDA_ADMIN in held,
            "opd": Role.OPD_OPERATOR in held,
            "secretary": Role.SECRETARY in held,
            "verifier": bool(held & {Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER}),
            "superuser": user.is_superuser,
        },
    }
