package org.osprey.builtins;

import java.util.List;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.IteratorValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.MetaType;
import org.osprey.runtime.RangeValue;
import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinFunction;
import org.osprey.types.FunctionSignature;
import org.osprey.types.Prelude;
import org.osprey.types.TypeInfo;

/**
 * An overloaded builtin called where the checker could not choose the form, in a function generic in the
 * subject ({@code fn size(x) = length(x)}): the form is chosen by the subject's value at each call. Every
 * use of such a function was checked against the forms, so a subject that fits none comes only from
 * another language.
 */
public final class OverloadDispatch implements BuiltinFunction {
    private final List<FunctionSignature> forms;

    public OverloadDispatch(List<FunctionSignature> forms) {
        this.forms = forms;
    }

    @Override
    public Object call(BuiltinContext context, Object[] arguments) {
        Object subject = arguments[0];
        for (FunctionSignature form : forms) {
            if (fits(subject, form.subjectInfo())) {
                return ((BuiltinFunction) form.implementation).call(context, arguments);
            }
        }
        throw new BuiltinException("'" + forms.get(0).name + "' has no form for a value of type " + MetaType.of(subject));
    }

    private static boolean fits(Object v, TypeInfo info) {
        return info == Prelude.STRING ? v instanceof TruffleString
                        : info == Prelude.LIST ? v instanceof ListValue
                        : info == Prelude.MAP ? v instanceof MapValue
                        : info == Prelude.ITERATOR ? v instanceof IteratorValue || v instanceof RangeValue
                        : info == Prelude.INT ? v instanceof Long
                        : info == Prelude.FLOAT ? v instanceof Double
                        : info == null;
    }
}
