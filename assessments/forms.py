from django import forms


class ExtensionForm(forms.Form):
    until = forms.DateField(label="延期至", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    reason = forms.CharField(
        label="延期理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
