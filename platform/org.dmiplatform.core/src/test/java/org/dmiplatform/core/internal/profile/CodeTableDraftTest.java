package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CodeLists.CodeList;
import org.dmiplatform.api.records.RecordsProfiles;
import org.junit.Assume;
import org.junit.Test;

/**
 * Code tables drafted from departments' code lists and from a sample's codes: categories from NIBRS codes (sure),
 * from words (to check) or left other (to check); the draft loads as a code table.
 */
public class CodeTableDraftTest {

    private static CodeList list(List<String> header, List<Integer> lines, List<List<String>> rows) {
        return new CodeList("codes.xlsx", "Offense codes", header, rows, lines);
    }

    @Test
    public void takesCategoryAndPartOneFromTheNibrsColumn() {
        CodeList list = list(
                List.of("Code", "Description", "NIBRS"),
                List.of(2, 3, 4, 5, 6, 7, 9),
                List.of(
                        List.of("3572-0", "Possession of methamphetamine", "35A"),
                        List.of("0810", "Aggravated assault", "13A"),
                        List.of("5201", "Unlawful use of weapon", "520"),
                        List.of("9901", "Warrant arrest", "90Z"),
                        List.of("1313-2", "Simple assault (domestic)", "13b"),
                        List.of("1101", "Rape,  forcible", "11A - Rape"),
                        List.of("3510", "Drug sale with a beating", "13A/35A")));

        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(list, "code", "description", "nibrs");

        assertEquals(
                "code,category,partOne,text,nibrs\n"
                        + "3572-0,drug,false,Possession of methamphetamine,35A\n"
                        + "0810,violent-part-i,true,Aggravated assault,13A\n"
                        + "5201,weapons,false,Unlawful use of weapon,520\n"
                        + "9901,other,false,Warrant arrest,90Z\n"
                        + "1313-2,other,false,Simple assault (domestic),13B\n"
                        + "1101,sex-offense,true,\"Rape, forcible\",11A\n"
                        + "3510,drug,true,Drug sale with a beating,35A\n",
                draft.csv());
        assertEquals(7, draft.codes());
        assertEquals("a NIBRS code is sure", List.of(), draft.toCheck());

        CodeTable table = loads(draft);
        assertEquals(Category.VIOLENT_PART_I, table.find("0810").category());
        assertEquals(Optional.of(true), table.find("0810").partOne());
        assertEquals(Optional.of("13A"), table.find("0810").nibrs());
        assertEquals("Rape, forcible", table.find("1101").text());
    }

    @Test
    public void guessesFromWordsWithoutNibrsAndListsThoseToCheck() {
        List<List<String>> rows = List.of(
                List.of("1810", "POSS CONTROLLED SUBSTANCE"),
                List.of("2410", "MOTOR VEHICLE THEFT"),
                List.of("0310", "ROBBERY - ARMED W/ FIREARM"),
                List.of("2611", "Prostitution - soliciting"),
                List.of("1720", "Fondling"),
                List.of("1100", "Statutory rape"),
                List.of("1101", "Rape"),
                List.of("5707", "Criminal trespass to land"),
                List.of("0910", "MURDER"),
                List.of("0530", "Shots-fired call"),
                List.of("4101", "Drugstore alarm"),
                List.of("9999", "Warrant service"),
                List.of("7777", ""));
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            lines.add(i + 2);
        }
        CodeList list = list(List.of(" CODE ", "Desc"), lines, rows);

        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(list, "code", " DESC ", null);

        assertEquals(
                "code,category,partOne,text,nibrs\n"
                        + "1810,drug,false,POSS CONTROLLED SUBSTANCE,\n"
                        + "2410,property-part-i,true,MOTOR VEHICLE THEFT,\n"
                        + "0310,weapons,true,ROBBERY - ARMED W/ FIREARM,\n"
                        + "2611,prostitution,false,Prostitution - soliciting,\n"
                        + "1720,sex-offense,false,Fondling,\n"
                        + "1100,sex-offense,false,Statutory rape,\n"
                        + "1101,sex-offense,true,Rape,\n"
                        + "5707,disorder,false,Criminal trespass to land,\n"
                        + "0910,violent-part-i,true,MURDER,\n"
                        + "0530,weapons,false,Shots-fired call,\n"
                        + "4101,other,false,Drugstore alarm,\n"
                        + "9999,other,false,Warrant service,\n"
                        + "7777,other,false,,\n",
                draft.csv());
        assertEquals(13, draft.codes());
        assertEquals(
                "every guess and every other, in the list's order",
                List.of(
                        "1810", "2410", "0310", "2611", "1720", "1100", "1101", "5707", "0910", "0530", "4101", "9999",
                        "7777"),
                draft.toCheck());
        loads(draft);
    }

    @Test
    public void aNibrsColumnWithoutAKnownCodeFallsBackToWords() {
        CodeList list = list(
                List.of("code", "text", "nibrs"),
                List.of(2, 3),
                List.of(List.of("2820", "Burglary of a habitation", ""), List.of("2830", "Theft", "N/A")));
        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(list, "code", "text", "nibrs");
        assertEquals(
                "code,category,partOne,text,nibrs\n"
                        + "2820,property-part-i,true,Burglary of a habitation,\n"
                        + "2830,property-part-i,true,Theft,\n",
                draft.csv());
        assertEquals(List.of("2820", "2830"), draft.toCheck());
    }

    @Test
    public void namesAColumnTheListLacksWithTheColumnsItHas() {
        CodeList list =
                list(List.of("Code", "Description", "NIBRS"), List.of(2), List.of(List.of("3572", "Cocaine", "35A")));
        try {
            CodeTableDraft.draft(list, "Offense Code", "Description", "UCR");
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of(
                            InputError.of(
                                    "codes.xlsx",
                                    "code",
                                    "the list has no column 'Offense Code'; its columns are 'Code', 'Description',"
                                            + " 'NIBRS' (sheet 'Offense codes')"),
                            InputError.of(
                                    "codes.xlsx",
                                    "nibrs",
                                    "the list has no column 'UCR'; its columns are 'Code', 'Description', 'NIBRS'"
                                            + " (sheet 'Offense codes')")),
                    e.errors());
        }
    }

    @Test
    public void aRepeatedCodeIsOneRowUnlessItDisagrees() {
        CodeList same = list(
                List.of("code", "text"),
                List.of(2, 3, 4, 6),
                List.of(
                        List.of("3572a", "Cocaine possession"),
                        List.of("1313", "Simple assault"),
                        List.of("", "a blank code is left out"),
                        List.of("3572A", "COCAINE   possession")));
        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(same, "code", "text", null);
        assertEquals(
                "code,category,partOne,text,nibrs\n"
                        + "3572a,drug,false,Cocaine possession,\n"
                        + "1313,other,false,Simple assault,\n",
                draft.csv());
        assertEquals(2, draft.codes());
        loads(draft);

        CodeList disagreeing = list(
                List.of("code", "text", "nibrs"),
                List.of(2, 3, 5, 8),
                List.of(
                        List.of("3572", "Cocaine possession", "35A"),
                        List.of("1313", "Simple assault", "13B"),
                        List.of("3572", "Cocaine sale", "35A"),
                        List.of("1313", "Simple assault", "13A")));
        try {
            CodeTableDraft.draft(disagreeing, "code", "text", "nibrs");
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of(
                            new InputError(
                                    "codes.xlsx",
                                    5,
                                    "code",
                                    "'3572' is on line 2 too, with another description ('Cocaine possession' there,"
                                            + " 'Cocaine sale' here); a code table has one row for each code"),
                            new InputError(
                                    "codes.xlsx",
                                    8,
                                    "code",
                                    "'1313' is on line 3 too, with another NIBRS code ('13B' there, '13A' here); a"
                                            + " code table has one row for each code")),
                    e.errors());
        }
    }

    @Test
    public void refusesAListWithoutCodes() {
        CodeList list = list(List.of("code", "text"), List.of(2), List.of(List.of("", "nothing")));
        try {
            CodeTableDraft.draft(list, "code", "text", null);
            fail();
        } catch (InvalidInputException e) {
            assertEquals("code", e.errors().get(0).field());
            assertEquals("the column 'code' holds no codes", e.errors().get(0).reason());
        }
    }

    @Test
    public void draftsFromASamplesCodesMostRowsToCheckFirst() {
        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(List.of(
                new CodeTableDraft.Code("0486", "DOMESTIC BATTERY SIMPLE", null, 120),
                new CodeTableDraft.Code("2024", "POSS: HEROIN(WHITE)", "", 40),
                new CodeTableDraft.Code("0820", "THEFT $500 AND UNDER", null, 300),
                new CodeTableDraft.Code("041A", "AGGRAVATED BATTERY: HANDGUN", "13A", 7),
                new CodeTableDraft.Code("1811", "POSS: CANNABIS 30GMS OR LESS", null, 10),
                new CodeTableDraft.Code(" ", "no code", null, 3),
                new CodeTableDraft.Code("0486", "DOMESTIC BATTERY SIMPLE", null, 5)));

        assertEquals(
                "code,category,partOne,text,nibrs\n"
                        + "0486,other,false,DOMESTIC BATTERY SIMPLE,\n"
                        + "2024,drug,false,POSS: HEROIN(WHITE),\n"
                        + "0820,property-part-i,true,THEFT $500 AND UNDER,\n"
                        + "041A,violent-part-i,true,AGGRAVATED BATTERY: HANDGUN,13A\n"
                        + "1811,drug,false,POSS: CANNABIS 30GMS OR LESS,\n",
                draft.csv());
        assertEquals(5, draft.codes());
        assertEquals("most rows first", List.of("0820", "0486", "2024", "1811"), draft.toCheck());
        loads(draft);
    }

    @Test
    public void anEmptySampleGivesAnEmptyTable() {
        RecordsProfiles.CodeTableDraft draft = CodeTableDraft.draft(List.of());
        assertEquals("code,category,partOne,text,nibrs\n", draft.csv());
        assertEquals(0, draft.codes());
        loads(draft);
    }

    @Test
    public void wordsAreWholeWords() {
        assertEquals(Category.OTHER, OffenseWords.guess("Drugstore alarm").category());
        assertEquals(Category.OTHER, OffenseWords.guess("Begun investigation").category());
        assertEquals(new OffenseWords.Guess(Category.OTHER, false), OffenseWords.guess("Drapes damaged"));
        assertEquals(Category.DRUG, OffenseWords.guess("Narcotics").category());
        assertEquals(
                Category.WEAPONS,
                OffenseWords.guess("UNLAWFUL POSS OF FIREARMS").category());
        assertEquals(
                Category.DISORDER, OffenseWords.guess("liquor law violation").category());
        assertEquals(new OffenseWords.Guess(Category.VIOLENT_PART_I, true), OffenseWords.guess("Agg. assault - knife"));
        assertEquals(new OffenseWords.Guess(Category.OTHER, false), OffenseWords.guess(null));
    }

    /** The core's copy of the NIBRS adapter's offense table is the same table, byte for byte. */
    @Test
    public void theNibrsTableIsTheNibrsAdaptersTable() throws IOException {
        Path adapters = Paths.get(
                "../../bundles/org.dmiplatform.adapter.nibrs/src/main/resources/org/dmiplatform/adapter/nibrs/internal",
                NibrsOffenses.TABLE);
        Assume.assumeTrue("the NIBRS adapter's sources are beside the core", Files.exists(adapters));
        byte[] ours;
        try (InputStream in = NibrsOffenses.class.getResourceAsStream(NibrsOffenses.TABLE)) {
            ours = in.readAllBytes();
        }
        assertArrayEquals(Files.readAllBytes(adapters), ours);
        assertEquals(
                Arrays.asList(Category.SEX_OFFENSE, true),
                Arrays.asList(
                        NibrsOffenses.offense("11c").orElseThrow().category(),
                        NibrsOffenses.offense("11c").orElseThrow().partOne()));
    }

    /** The draft loads as a code table with no error. */
    private static CodeTable loads(RecordsProfiles.CodeTableDraft draft) {
        List<InputError> errors = new ArrayList<>();
        CodeTable table = CodeTable.read("codes.csv", draft.csv(), errors);
        assertEquals(List.of(), errors);
        assertEquals(draft.codes(), table.size());
        assertTrue(draft.csv().startsWith(String.join(",", CodeTableDraft.HEADER) + "\n"));
        return table;
    }
}
