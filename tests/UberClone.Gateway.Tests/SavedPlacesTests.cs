using UberClone.Gateway.Places;

namespace UberClone.Gateway.Tests;

public class SavedPlacesTests
{
    private static readonly SavedPlace Home = new("Home", 52.52, 13.40);

    [Fact]
    public void Saving_a_label_again_moves_that_place_and_keeps_its_position_whatever_the_case()
    {
        var places = SavedPlaces.None.Save(Home).Save(new SavedPlace("Work", 52.50, 13.45)).Save(new SavedPlace("home", 52.53, 13.41));

        Assert.Equal([new SavedPlace("home", 52.53, 13.41), new SavedPlace("Work", 52.50, 13.45)], places.Places);
    }

    [Fact]
    public void At_most_ten_places_and_removing_an_unknown_one_changes_nothing()
    {
        var ten = Enumerable.Range(1, SavedPlaces.MaxPlaces).Aggregate(SavedPlaces.None, (p, i) => p.Save(new SavedPlace($"P{i}", 50 + i * 0.01, 13)));

        Assert.Throws<PlaceRuleException>(() => ten.Save(Home));
        Assert.Equal(SavedPlaces.MaxPlaces, ten.Save(new SavedPlace("p3", 1, 1)).Places.Count); // an existing label still moves
        Assert.Same(ten, ten.Remove("Gym"));
        Assert.Equal(9, ten.Remove("P1").Places.Count);
    }

    [Theory]
    [InlineData("  Home ", "Home")]
    [InlineData("", null)]
    [InlineData("tab\tlabel", null)]
    [InlineData("0123456789012345678901234567890", null)]
    public void A_label_is_trimmed_text_of_1_to_30_characters(string label, string? stored) => Assert.Equal(stored, SavedPlaces.CleanLabel(label));
}
