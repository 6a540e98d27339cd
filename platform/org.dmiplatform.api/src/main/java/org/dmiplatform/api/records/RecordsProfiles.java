package org.dmiplatform.api.records;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The sites' records profiles, as provisioned from {@code site-configs/<site>/profiles/}. A profile edited there and
 * provisioned again applies from the next import.
 */
@ProviderType
public interface RecordsProfiles {

    /**
     * A site's profile by file name ({@code chicago-clear.json}; the {@code .json} may be left out).
     *
     * @throws org.dmiplatform.api.InvalidInputException naming the file, line, field and reason of every mistake in
     *     it, or that the site has no such profile
     */
    RecordsProfile profile(String site, String name);

    /** The names of a site's profiles. */
    List<String> names(String site);

    /**
     * Drafts a profile from a sample of an export: its layout, each column's type and the fields it likely holds,
     * date patterns, coordinate systems judged against the site's place, and a code table of its codes.
     *
     * @param site the site the export is from (its time zone, bounds and source coordinate systems guide the draft)
     * @throws org.dmiplatform.api.InvalidInputException when the sample is empty, binary or not delimited text
     */
    ProfileDraft draft(String site, RecordsInput sample) throws java.io.IOException;

    /**
     * Runs one of the site's profiles on a sample without storing anything: the records it would give beside their
     * rows, what it would quarantine and skip and why, and warnings for what looks wrong.
     *
     * @param show how many mapped records to return (at most 200)
     * @throws org.dmiplatform.api.InvalidInputException when the profile cannot be used or the sample cannot be read
     */
    ProfileTrial trial(String site, String profile, RecordsInput sample, int show) throws java.io.IOException;

    /**
     * Drafts a code table (CSV with {@code code,category,partOne,text,nibrs}) from a department's code list: one row
     * per code, its category and Part I from the NIBRS code where the list has one, else from the words of its
     * description, else {@code other}; every category the draft could not be sure of is marked for checking.
     *
     * @param code the column holding the department's codes
     * @param text the column describing them, or null
     * @param nibrs the column holding NIBRS offence codes, or null
     * @throws org.dmiplatform.api.InvalidInputException naming a column the list lacks, or repeated codes that
     *     disagree
     */
    CodeTableDraft codeTable(CodeLists.CodeList list, String code, String text, String nibrs);

    /**
     * @param csv the code table, ready to save beside the profile
     * @param codes how many codes
     * @param toCheck the codes whose category was guessed from words or left {@code other}: to be read by a person
     */
    record CodeTableDraft(String csv, int codes, List<String> toCheck) {
        public CodeTableDraft {
            toCheck = List.copyOf(toCheck);
        }
    }
}
