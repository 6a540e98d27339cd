package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.junit.Test;

public class CodeTablesTest {
    private final CodeTables tables = CodeTables.load();

    private Category category(String code) {
        return tables.offense(code)
                .orElseThrow(() -> new AssertionError("no offense " + code))
                .category();
    }

    private boolean partOne(String code) {
        return tables.offense(code).orElseThrow().partOne();
    }

    @Test
    public void everyOffenseCodeOfTheSpecificationHasACategory() {
        // Technical Specification 2019.1, Appendix A: Group A and Group B offenses
        String appendixA = "720 200 13A 13B 13C 510 220 250 290 35A 35B 270 210 26A 26B 26C 26D 26E 26F 26G 39A 39B"
                + " 39C 39D 09A 09B 09C 64A 64B 100 23A 23B 23C 23D 23E 23F 23G 23H 240 370 40A 40B 40C 120 11A 11B"
                + " 11C 11D 36A 36B 280 520 90A 90B 90C 90D 90E 90F 90G 90H 90J 90Z";
        for (String code : appendixA.split(" ")) {
            assertTrue(code, tables.offense(code).isPresent());
        }
    }

    @Test
    public void mapsOffensesToTheProgrammesCategories() {
        assertEquals(Category.DRUG, category("35A"));
        assertEquals(Category.DRUG, category("35B"));
        assertEquals(Category.WEAPONS, category("520"));
        for (String sex : List.of("11A", "11B", "11C", "11D", "36A", "36B")) {
            assertEquals(sex, Category.SEX_OFFENSE, category(sex));
        }
        for (String prostitution : List.of("40A", "40B", "40C")) {
            assertEquals(prostitution, Category.PROSTITUTION, category(prostitution));
        }
        for (String violent : List.of("09A", "120", "13A")) {
            assertEquals(violent, Category.VIOLENT_PART_I, category(violent));
        }
        for (String property : List.of("220", "23A", "23B", "23C", "23D", "23E", "23F", "23G", "23H", "240", "200")) {
            assertEquals(property, Category.PROPERTY_PART_I, category(property));
        }
        for (String disorder : List.of("90C", "90E", "90G", "90B", "90J", "290")) {
            assertEquals(disorder, Category.DISORDER, category(disorder));
        }
        for (String other :
                List.of("13B", "13C", "09B", "09C", "100", "26A", "250", "280", "370", "39A", "64A", "90Z")) {
            assertEquals(other, Category.OTHER, category(other));
        }
    }

    @Test
    public void partOneIsTheFbisViolentAndPropertyCrimeWithRapeByTheRevisedDefinition() {
        for (String code : List.of("09A", "11A", "11B", "11C", "120", "13A", "220", "23A", "23H", "240", "200")) {
            assertTrue(code, partOne(code));
        }
        for (String code : List.of("09B", "09C", "11D", "36A", "36B", "13B", "35A", "35B", "520", "290", "90C")) {
            assertFalse(code, partOne(code));
        }
    }

    @Test
    public void offenseCodesAreReadWhateverTheirCase() {
        assertEquals(Category.DRUG, category(" 35a "));
        assertEquals(Optional.empty(), tables.offense("99Z"));
    }

    @Test
    public void namesSuspectedDrugTypesInTheFbisWords() {
        assertEquals(Optional.of("Crack Cocaine"), tables.drugType("A"));
        assertEquals(Optional.of("Amphetamines/Methamphetamines"), tables.drugType("L"));
        assertEquals(Optional.of("Over 3 Drug Types"), tables.drugType("X"));
        assertEquals(Optional.empty(), tables.drugType("Z"));
    }

    private CrimeRecord incident(String... codes) {
        List<Offense> offenses =
                Arrays.stream(codes).map(c -> tables.offense(c).orElseThrow()).toList();
        return new Incident(
                        "XX0000000",
                        "1",
                        LocalDate.of(2020, 1, 1),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        offenses,
                        List.of("Heroin"),
                        1)
                .toRecord(ZoneId.of("UTC"));
    }

    @Test
    public void anIncidentIsCountedUnderTheFirstOfItsCategoriesInTheProgrammesOrder() {
        CrimeRecord drugsAndGun = incident("520", "13A", "35B", "35A");
        assertEquals(Category.DRUG, drugsAndGun.category());
        assertEquals("35A", drugsAndGun.code());
        assertTrue("the aggravated assault is Part I", drugsAndGun.partOne());
        assertEquals(Optional.of("Heroin"), drugsAndGun.drugType());

        CrimeRecord assaultAndRape = incident("13A", "11D", "11A");
        assertEquals(Category.SEX_OFFENSE, assaultAndRape.category());
        assertEquals("11A", assaultAndRape.code());
        assertEquals("Rape", assaultAndRape.codeText());

        assertEquals("09A", incident("13A", "120", "09A").code());
        assertEquals(Category.DISORDER, incident("13B", "290").category());
    }

    @Test
    public void drugTypeIsGivenOnlyForADrugIncident() {
        assertEquals(Optional.empty(), incident("520").drugType());
    }
}
