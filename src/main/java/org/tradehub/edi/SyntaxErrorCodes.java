package org.tradehub.edi;

import io.xlate.edi.stream.EDIStreamValidationError;

/** Translates StAEDI's validation errors into the code lists acknowledgements use. */
final class SyntaxErrorCodes {

    private SyntaxErrorCodes() {
    }

    /** UN/EDIFACT syntax error code, code list 0085 (ISO 9735). */
    static String edifact(EDIStreamValidationError e) {
        return switch (e) {
            case UNRECOGNIZED_SEGMENT_ID, UNEXPECTED_SEGMENT, SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET,
                 SEGMENT_NOT_IN_PROPER_SEQUENCE, IMPLEMENTATION_UNUSED_SEGMENT_PRESENT,
                 IMPLEMENTATION_UNUSED_DATA_ELEMENT_PRESENT, EXCLUSION_CONDITION_VIOLATED,
                 SEGMENT_EXCLUSION_CONDITION_VIOLATED -> "15"; // not supported in this position
            case MANDATORY_SEGMENT_MISSING, REQUIRED_DATA_ELEMENT_MISSING, CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
                 CONDITIONAL_REQUIRED_SEGMENT_MISSING, IMPLEMENTATION_DEPENDENT_SEGMENT_MISSING,
                 IMPLEMENTATION_DEPENDENT_DATA_ELEMENT_MISSING, IMPLEMENTATION_SEGMENT_BELOW_MINIMUM_USE -> "13";
            case TOO_MANY_DATA_ELEMENTS, TOO_MANY_COMPONENTS -> "16";   // too many constituents
            case TOO_MANY_REPETITIONS, SEGMENT_EXCEEDS_MAXIMUM_USE -> "35";
            case LOOP_OCCURS_OVER_MAXIMUM_TIMES -> "36";
            case DATA_ELEMENT_TOO_LONG -> "39";
            case DATA_ELEMENT_TOO_SHORT -> "40";
            case INVALID_CHARACTER_DATA -> "21";
            case CONTROL_REFERENCE_MISMATCH -> "28";
            case CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT -> "29";
            case INVALID_CODE_VALUE, IMPLEMENTATION_INVALID_CODE_VALUE, INVALID_DATE, INVALID_TIME,
                 IMPLEMENTATION_PATTERN_MATCH_FAILURE, SEGMENT_HAS_DATA_ELEMENT_ERRORS -> "12";
            default -> "18"; // unspecified error
        };
    }

    /**
     * X12 997 code for the level the error is reported at: trailer counts and references go to AK5 (SE),
     * AK9 (GE) or TA1 (IEA); segment errors to AK304; element errors to AK403.
     */
    static String x12(EDIStreamValidationError e, String segmentTag) {
        if (e == EDIStreamValidationError.CONTROL_REFERENCE_MISMATCH) {
            return switch (segmentTag) {
                case "SE" -> "3";
                case "GE" -> "4";
                default -> "001"; // TA105: control numbers in header and trailer do not match
            };
        }
        if (e == EDIStreamValidationError.CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT) {
            return switch (segmentTag) {
                case "SE" -> "4";
                case "GE" -> "5";
                default -> "021"; // TA105: invalid number of included groups
            };
        }
        return switch (e) {
            case UNRECOGNIZED_SEGMENT_ID -> "1";
            case UNEXPECTED_SEGMENT -> "2";
            case MANDATORY_SEGMENT_MISSING -> "3";
            case LOOP_OCCURS_OVER_MAXIMUM_TIMES -> "4";
            case SEGMENT_EXCEEDS_MAXIMUM_USE -> "5";
            case SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET -> "6";
            case SEGMENT_NOT_IN_PROPER_SEQUENCE -> "7";
            case SEGMENT_HAS_DATA_ELEMENT_ERRORS -> "8";
            case REQUIRED_DATA_ELEMENT_MISSING -> "1";
            case CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING -> "2";
            case TOO_MANY_DATA_ELEMENTS -> "3";
            case DATA_ELEMENT_TOO_SHORT -> "4";
            case DATA_ELEMENT_TOO_LONG -> "5";
            case INVALID_CHARACTER_DATA -> "6";
            case INVALID_CODE_VALUE -> "7";
            case INVALID_DATE -> "8";
            case INVALID_TIME -> "9";
            case EXCLUSION_CONDITION_VIOLATED -> "10";
            case TOO_MANY_REPETITIONS -> "12";
            case TOO_MANY_COMPONENTS -> "13";
            default -> "8";
        };
    }
}
