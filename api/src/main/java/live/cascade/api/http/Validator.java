package live.cascade.api.http;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request before failing, so a person can fix them all at once. */
public final class Validator {
    private final List<FieldError> errors = new ArrayList<>();

    public Validator error(String field, String detail) {
        errors.add(new FieldError(field, detail));
        return this;
    }

    public boolean check(boolean ok, String field, String detail) {
        if (!ok) error(field, detail);
        return ok;
    }

    public boolean hasErrors() { return !errors.isEmpty(); }

    /** The invalid fields collected so far, for a caller that reports them as a value instead of throwing. */
    public List<FieldError> errors() { return List.copyOf(errors); }

    /** Throws a 400 listing every field collected so far, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) throw ApiException.invalid(errors);
    }
}
